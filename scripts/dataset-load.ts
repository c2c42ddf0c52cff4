// `npm run dataset:load -- FILE --name NAME [--tenant T] [--on-error strict|skip] [--delimiter ;]
// [--decimal ,] [--date-format dd/mm/yyyy] [--timezone Europe/Paris] [--dst-ambiguous by_order]
// [--dst-gap reject] [--mapping FILE.json]`: loads a CSV as a new dataset version, exactly as an
// upload through the API does (same checks, same options schema, same saved options, same audit).
// Exit code 0 when stored (or already stored), 2 when refused, 1 on error.
import { createReadStream, readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { loadDotEnv, migrate, provideDatabase } from "./run-bootstrap";

const USAGE =
  "usage: npm run dataset:load -- FILE --name NAME [--tenant TENANT] [--on-error strict|skip] [--delimiter ,|;|tab|'|'] [--decimal .|,] [--date-format iso|dd/mm/yyyy|mm/dd/yyyy|yyyy-mm-dd] [--timezone ZONE] [--dst-ambiguous by_order|earlier|later|reject] [--dst-gap reject|shift_forward] [--mapping FILE.json]";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: "string" },
      tenant: { type: "string", default: "default" },
      "on-error": { type: "string", default: "strict" },
      delimiter: { type: "string" },
      decimal: { type: "string" },
      "date-format": { type: "string" },
      timezone: { type: "string" },
      "dst-ambiguous": { type: "string" },
      "dst-gap": { type: "string" },
      mapping: { type: "string" },
    },
  });
  const file = positionals[0];
  const onError = values["on-error"];
  const tenant = values.tenant!.trim().toLowerCase();
  if (
    !file ||
    !values.name?.trim() ||
    (onError !== "strict" && onError !== "skip") ||
    !/^[a-z0-9_-]{1,64}$/.test(tenant)
  ) {
    console.error(USAGE);
    return 1;
  }
  statSync(file);
  const { ImportOptionsSchema } = await import("@/lib/datasets/import-options");
  const parsedOptions = ImportOptionsSchema.safeParse({
    delimiter: values.delimiter,
    decimal: values.decimal,
    date_format: values["date-format"],
    timezone: values.timezone,
    dst_ambiguous: values["dst-ambiguous"],
    dst_gap: values["dst-gap"],
    mapping: values.mapping === undefined ? undefined : readFileSync(values.mapping, "utf8"),
  });
  if (!parsedOptions.success) {
    for (const issue of parsedOptions.error.issues) console.error(`--${issue.path.join("/")}: ${issue.message}`);
    console.error(USAGE);
    return 1;
  }
  loadDotEnv();
  const log = (line: string) => console.error(`[dataset:load] ${line}`);
  const embedded = await provideDatabase(log);
  try {
    await migrate(log);
    const { loadDataset } = await import("@/lib/datasets/load");
    const { AppError } = await import("@/lib/http/app-error");
    const started = Date.now();
    try {
      const result = await loadDataset({
        source: createReadStream(file),
        name: values.name.trim(),
        tenantId: tenant,
        onError,
        filename: basename(file),
        options: parsedOptions.data,
        actor: { type: "system", id: "cli", label: "npm run dataset:load" },
        context: null,
      });
      const { db } = await import("@/lib/db");
      const version = await db().datasetVersion.findUniqueOrThrow({ where: { id: result.versionId } });
      const seconds = (Date.now() - started) / 1000;
      console.log(
        JSON.stringify(
          {
            created: result.created,
            dataset_id: result.datasetId,
            version: result.version,
            version_id: result.versionId,
            sha256: version.sha256,
            rows: version.rowCount,
            rejected: version.rejectedCount,
            duplicates: version.duplicateCount,
            quality_passes: (version.quality as { passes?: boolean }).passes ?? null,
          },
          null,
          2,
        ),
      );
      log(
        result.created
          ? `stored version ${result.version} (${version.rowCount} rows) in ${seconds.toFixed(1)} s`
          : `these bytes are already version ${result.version}; nothing stored`,
      );
      await db().$disconnect();
      return 0;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      log(`refused: ${error.message}`);
      for (const p of (error.errors ?? []).slice(0, 20))
        log(
          `  ${p.row ? `row ${p.row}` : ""}${p.column ? `, ${p.column}` : ""}${p.value !== undefined ? ` = ${JSON.stringify(p.value)}` : ""}: ${p.detail}`,
        );
      if ((error.errors?.length ?? 0) > 20) log(`  … and ${(error.errors?.length ?? 0) - 20} more`);
      return 2;
    } finally {
      const { pgPool } = await import("@/lib/db/pg-pool");
      await pgPool().end();
    }
  } finally {
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[dataset:load] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
