// The rows of one upload, streamed into the load's transaction: papaparse records → checked rows →
// binary COPY into `observation`, the version's hourly and daily rollups accumulated as the rows pass
// and written between COPY batches, the quality report built on the way. A refused upload ends the
// COPY with CopyFail so the transaction can roll back.
import "server-only";
import type { Readable } from "node:stream";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { ensureMonthsInTransaction, monthKey } from "@/lib/observations/partitions";
import { RollupAccumulator } from "@/lib/rollups/accumulator";
import { PendingRollups, rebuildVersionRollups } from "@/lib/rollups/repo/write-version";
import { mapHeader, roleColumn, type HeaderMapping } from "./columns";
import { BinaryRowEncoder, uuidField } from "./copy-binary";
import { csvRecordBatches, peekFirstLine, type CsvRecord } from "./csv-records";
import { detectDateFormat, detectDecimal, detectDelimiter, DETECT_ROWS } from "./detect";
import { DEFAULTS, delimiterChar, type DstCounts, type ImportOptions, type ResolvedOptions } from "./import-options";
import type { LoadInput } from "./load-input";
import { formatError, MAX_REPORTED_PROBLEMS, ProblemGroups, toFieldProblem, type ProblemGroup } from "./load-problems";
import type { ImportSummary, QualityReport, Stats } from "./load-stats";
import { QualityTracker, type ReadyRow } from "./quality";
import { ObservationCopy } from "./repo/copy";
import type { LoadTx } from "./repo/load";
import { parseRow, timeCounts, type RowOptions, type RowProblem } from "./rows";

// Rollup lines pending in memory before they are written (between two observation COPY batches).
const ROLLUP_FLUSH_CHARS = 4 << 20;
// Encoded observation rows held while the rollups are written (the parsing carries on meanwhile).
const HOLD_BYTES = 32 << 20;

const ID_COLUMNS = [
  "tenant_id",
  "site_id",
  "facility_id",
  "cluster_id",
  "zone_id",
  "interval_start",
  "interval_end",
  "interval_seconds",
  "dataset_version_id",
];

export type { QualityReport, Stats };

const ZERO_DST: DstCounts = {
  ambiguous_rows: 0,
  ambiguous_earlier: 0,
  ambiguous_later: 0,
  ambiguous_rejected: 0,
  gap_rows: 0,
  gap_shifted: 0,
  gap_rejected: 0,
};

export type Outcome = { kind: "ok"; stats: Stats } | { kind: "refused"; error: AppError; total: number };

type CopyState = { copy: ObservationCopy | null; rollupWrite: Promise<void> | null };

/** How to read the file: the options (saved ones overridden by those given), and whether the mapping was given for it. */
export type ReadPlan = { options: ImportOptions; strictMapping: boolean };

/** One of the first rows of a file as read (a preview). */
export type PreviewRow = {
  row: number;
  cells: string[];
  ts_utc: string | null;
  ids: Record<string, string | null> | null;
  /** Per signal column (`PreviewCollector.signals`), the stored value. */
  values: (number | null)[] | null;
  problems: { column: string; value: string; detail: string }[];
};

/** What a dry run (the preview) collects on its way: the options decided, the header, the first rows. */
export type PreviewCollector = {
  limit: number;
  headerLine: string | null;
  headers: string[] | null;
  mapping: HeaderMapping | null;
  resolved: ResolvedOptions | null;
  rows: PreviewRow[];
  /** At the end: the counts of the whole file, also when the upload would be refused. */
  totals: {
    rows_read: number;
    rows_valid: number;
    rejected: number;
    series: number;
    first_utc: string | null;
    last_utc: string | null;
    naive_timestamps: number;
    dst: DstCounts;
    total_problems: number;
    problem_groups: ProblemGroup[];
    complete: boolean;
  } | null;
};

/** A sink for a dry run: the rows are read, checked and counted, nothing is written. */
class DiscardCopy {
  open(): void {}
  put(): void {}
  async write(): Promise<void> {}
  async end(): Promise<void> {}
  async abort(): Promise<void> {}
}

/**
 * Streams the rows into the version (`client` a load transaction), or, with `client` null, reads
 * and checks them all without writing anything (the preview's dry run: the same code path).
 */
export async function streamRows(
  client: LoadTx | null,
  text: Readable,
  input: LoadInput,
  versionId: string,
  plan: ReadPlan = { options: {}, strictMapping: true },
  preview: PreviewCollector | null = null,
): Promise<Outcome> {
  const state: CopyState = { copy: null, rollupWrite: null };
  try {
    const outcome = await streamRowsInto(client, text, input, versionId, state, plan, preview);
    if (outcome.kind === "refused") await abortCopy(state);
    return outcome;
  } catch (error) {
    await abortCopy(state);
    throw error;
  }
}

/** Lets a rollup write under way settle, then ends an unfinished COPY with CopyFail, so the connection can roll back. */
async function abortCopy(state: CopyState) {
  await state.rollupWrite?.catch(() => undefined);
  await state.copy?.abort();
}

async function streamRowsInto(
  client: LoadTx | null,
  source: Readable,
  input: LoadInput,
  versionId: string,
  state: CopyState,
  plan: ReadPlan,
  preview: PreviewCollector | null,
): Promise<Outcome> {
  const given = plan.options;
  let text = source;
  let delimiter = given.delimiter;
  if (delimiter === undefined || preview) {
    const peeked = await peekFirstLine(source);
    text = peeked.stream;
    if (preview) preview.headerLine = peeked.line;
    if (delimiter === undefined) {
      const found = detectDelimiter(peeked.line);
      if (found.problem !== null)
        throw formatError("csv_delimiter", `Delimiter: ${found.problem}`, { row: 1, column: "delimiter" });
      delimiter = found.value;
    }
  }
  let resolved: ResolvedOptions | null = null;
  let rowOptions: RowOptions | null = null;
  const settings = env();
  const thresholds = {
    maxMissingRatio: settings.DATASET_MAX_MISSING_RATIO,
    maxStalenessSeconds: settings.DATASET_MAX_STALENESS_SECONDS,
  };
  let headers: string[] | null = null;
  let mapping: HeaderMapping | null = null;
  let tracker: QualityTracker | null = null;
  let copy: ObservationCopy | null = null;
  let rollups: RollupAccumulator | null = null;
  let pendingRollups = new PendingRollups();
  const problems: RowProblem[] = [];
  const groups = new ProblemGroups();
  // A strict load stops reading at MAX_REPORTED_PROBLEMS (nothing will be stored): the row it
  // stopped at, so the answer does not pass the count off as the whole file's.
  let stoppedAtRow = null as number | null;
  let totalProblems = 0;
  let rowsRead = 0;
  let stored = 0;
  let rejected = 0;
  let min = Infinity;
  // The period of the valid rows (a strict load with problems stores none, a preview says it anyway).
  let validMin = Infinity;
  let validMax = -Infinity;
  const previewSeries = new Set<object>();
  let max = -Infinity;
  const outOfRange = new Map<string, number>();
  const strict = input.onError === "strict";
  let hasPrice = false;

  let encoder: BinaryRowEncoder | null = null;
  const openCopy = () => copy!.open();
  /** Ends the observation COPY, with `last` rows (when given) and the trailer. */
  const endCopy = (last?: Buffer) => copy!.end(last);
  // One COPY at a time per connection: the observation COPY ends, the rollups go in, a new
  // observation COPY carries on (all in the one transaction). The rows parsed while the rollups
  // are written wait in `held` (up to HOLD_BYTES): the database and the parsing overlap.
  let rollupWrite: Promise<void> | null = null;
  let held: Buffer[] = [];
  let heldBytes = 0;
  const writeRollups = () => {
    const lines = pendingRollups;
    pendingRollups = new PendingRollups();
    const write = (async () => {
      await endCopy();
      if (client) await lines.write(client);
      await ensureNewMonths();
      openCopy();
      for (const chunk of held) copy!.put(chunk);
      held = [];
      heldBytes = 0;
      rollupWrite = null;
    })();
    // Awaited below (when `held` is full, and before the end); a failure surfaces there.
    write.catch(() => undefined);
    rollupWrite = write;
    state.rollupWrite = write;
  };
  // The UTC months of the rows (each has a partition of `observation`, created on demand): a row
  // in a month new to this load puts it in `newMonths`, ensured before the rows reach a COPY.
  const loadMonths = new Set<string>();
  const newMonths = new Set<string>();
  let monthFrom = 0;
  let monthTo = 0;
  const noteMonth = (ts: number) => {
    const d = new Date(ts);
    monthFrom = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    if (d.getUTCFullYear() < 100) monthFrom = new Date(monthFrom).setUTCFullYear(d.getUTCFullYear());
    const next = new Date(monthFrom);
    next.setUTCMonth(next.getUTCMonth() + 1);
    monthTo = next.getTime();
    const key = monthKey(d);
    if (!loadMonths.has(key)) {
      loadMonths.add(key);
      newMonths.add(key);
    }
  };
  /** Ensures the new months (COPY must start after a partition exists: the open one ends first). */
  const ensureNewMonths = async () => {
    if (!client) newMonths.clear();
    while (newMonths.size) {
      const months = [...newMonths];
      newMonths.clear();
      await ensureMonthsInTransaction(client!, months);
    }
  };
  const put = (r: ReadyRow) => {
    if (r.ts < monthFrom || r.ts >= monthTo) noteMonth(r.ts);
    encoder!.add(r);
    rollups!.add(r);
    stored += 1;
    if (r.ts < min) min = r.ts;
    if (r.ts > max) max = r.ts;
  };
  /** Hands the encoded rows to COPY (waiting while it is behind), and the rollups when enough are pending. */
  const drain = async () => {
    if (!copy || encoder!.size === 0) return;
    const chunk = encoder!.take();
    if (rollupWrite) {
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes >= HOLD_BYTES) await rollupWrite;
      return;
    }
    if (newMonths.size) {
      await endCopy();
      await ensureNewMonths();
      openCopy();
    }
    await copy.write(chunk);
    if (pendingRollups.chars >= ROLLUP_FLUSH_CHARS) writeRollups();
  };

  const sample: CsvRecord[] = [];
  /** Decides the decimal separator and the date format (given, else from the first rows), then opens the COPY. */
  const setUp = () => {
    const timestampAt = mapping!.roles.findIndex((r) => r?.kind === "timestamp");
    const problems: { column: string; detail: string; code: string }[] = [];
    let decimal = given.decimal;
    if (decimal === ",") {
      if (delimiter === ",")
        problems.push({
          column: "decimal",
          detail: 'a decimal comma needs another delimiter than ","',
          code: "invalid_option",
        });
    } else if (decimal === undefined) {
      if (delimiter === ",") decimal = ".";
      else {
        const found = detectDecimal(
          sample.map((r) => r.cells),
          new Set([timestampAt]),
        );
        if (found.problem !== null) problems.push({ column: "decimal", detail: found.problem, code: "csv_decimal" });
        else decimal = found.value;
      }
    }
    let dateFormat = given.date_format;
    if (dateFormat === undefined) {
      const found = detectDateFormat(sample.map((r) => r.cells[timestampAt] ?? ""));
      if (found.problem !== null)
        problems.push({ column: "date_format", detail: found.problem, code: "csv_date_format" });
      else dateFormat = found.value;
    }
    if (problems.length > 0)
      throw new AppError(
        "validation_failed",
        `The file cannot be read without choosing: ${problems.map((p) => `${p.column} (${p.detail})`).join("; ")}`,
        { errors: problems.map((p) => ({ pointer: `/${p.column}`, ...p })) },
      );
    resolved = {
      delimiter: delimiter!,
      decimal: decimal!,
      date_format: dateFormat!,
      timezone: given.timezone ?? DEFAULTS.timezone,
      dst_ambiguous: given.dst_ambiguous ?? DEFAULTS.dst_ambiguous,
      dst_gap: given.dst_gap ?? DEFAULTS.dst_gap,
    };
    if (preview) preview.resolved = resolved;
    rowOptions = {
      decimal: resolved.decimal,
      dateFormat: resolved.date_format,
      timezone: resolved.timezone,
      dstAmbiguous: resolved.dst_ambiguous,
      dstGap: resolved.dst_gap,
    };
    openCopy();
  };

  /** One data record: 0 read on, 1 the encoder is full (drain), 2 stop reading (a strict load with enough problems). */
  const handle = (record: CsvRecord): 0 | 1 | 2 => {
    rowsRead += 1;
    const row = rowsRead + 1;
    const quoting = record.errors.length > 0 ? record.errors.find((e) => e.type === "Quotes") : undefined;
    if (quoting)
      throw formatError(
        "csv_quoting",
        `Row ${row}: ${quoting.message.toLowerCase()} (a quote opened and never closed, or text after a closing quote)`,
        { row },
      );
    const { parsed, problems: rowProblems } = parseRow(record.cells, headers!, mapping!, row, rowOptions!);
    if (preview && preview.rows.length < preview.limit)
      preview.rows.push({
        row,
        cells: record.cells,
        ts_utc: parsed ? new Date(parsed.ts).toISOString() : null,
        ids: parsed ? { ...parsed.ids } : null,
        values: parsed ? parsed.values : null,
        problems: rowProblems.map((p) => ({ column: p.column, value: p.value, detail: p.reason })),
      });
    if (rowProblems.length > 0) {
      totalProblems += rowProblems.length;
      rejected += 1;
      for (const p of rowProblems) {
        if (p.reason.startsWith("must be")) outOfRange.set(p.column, (outOfRange.get(p.column) ?? 0) + 1);
        if (problems.length < MAX_REPORTED_PROBLEMS) problems.push(p);
        groups.add(p);
      }
      if (strict && problems.length >= MAX_REPORTED_PROBLEMS) {
        stoppedAtRow = row;
        return 2;
      }
      return 0;
    }
    if (preview) previewSeries.add(parsed!.ids);
    if (parsed!.ts < validMin) validMin = parsed!.ts;
    if (parsed!.ts > validMax) validMax = parsed!.ts;
    if (strict && totalProblems > 0) return 0;
    const ready = tracker!.add(parsed!);
    for (let i = 0; i < ready.length; i++) put(ready[i]!);
    return encoder!.full ? 1 : 0;
  };
  /** The records held for detection, once decided. */
  const handleSample = async (): Promise<boolean> => {
    setUp();
    for (const record of sample.splice(0)) {
      const r = handle(record);
      if (r === 2) return true;
      if (r === 1) await drain();
    }
    return false;
  };

  let stopped = false;
  reading: for await (const batch of csvRecordBatches(text, delimiterChar(delimiter))) {
    for (const record of batch) {
      if (headers === null) {
        headers = record.cells;
        if (preview) preview.headers = headers;
        mapping = mapHeader(headers, given.mapping ?? null, plan.strictMapping);
        if (preview) preview.mapping = mapping;
        if (headers.length === 1 && /[,;\t|]/.test(headers[0]!)) {
          const other = /;/.test(headers[0]!)
            ? ";"
            : /\t/.test(headers[0]!)
              ? "tab"
              : /\|/.test(headers[0]!)
                ? "|"
                : ",";
          throw formatError(
            "csv_delimiter",
            `The header has a single column; the file seems to be separated by "${other}" — set the delimiter to "${other}" (or omit it to detect it)`,
            { row: 1, column: "delimiter" },
          );
        }
        if (mapping.errors.length > 0) {
          throw new AppError(
            "validation_failed",
            `The header has ${mapping.errors.length} problem${mapping.errors.length === 1 ? "" : "s"}`,
            {
              errors: mapping.errors.map((e) => ({
                pointer: "/rows/1",
                row: 1,
                column: e.column,
                detail: e.message,
                code: "invalid_header",
              })),
            },
          );
        }
        hasPrice = mapping.signals.some((s) => s.name === "energy_price_usd_per_kwh");
        const fixed = hasPrice
          ? Buffer.concat([uuidField(versionId), Buffer.from([0, 0, 0, 3]), Buffer.from("USD")])
          : uuidField(versionId);
        encoder = new BinaryRowEncoder(
          input.tenantId,
          fixed,
          hasPrice ? 2 : 1,
          mapping.signals.map((s) => s.int === true),
        );
        tracker = new QualityTracker(mapping.signals, thresholds);
        const columns = [...ID_COLUMNS, ...(hasPrice ? ["currency"] : []), ...mapping.signals.map((s) => s.db)];
        copy = client ? new ObservationCopy(client, columns) : (new DiscardCopy() as unknown as ObservationCopy);
        state.copy = copy;
        rollups = new RollupAccumulator(
          mapping.signals.map((s) => s.db),
          { tenantId: input.tenantId, versionId, currency: hasPrice ? "USD" : null },
          client
            ? { hour: (line) => pendingRollups.push("hour", line), day: (line) => pendingRollups.push("day", line) }
            : { hour: () => undefined, day: () => undefined },
        );
        continue;
      }
      if (resolved === null) {
        sample.push(record);
        if (sample.length >= DETECT_ROWS && (await handleSample())) {
          stopped = true;
          break reading;
        }
        continue;
      }
      const r = handle(record);
      if (r === 2) {
        stopped = true;
        break reading;
      }
      if (r === 1) await drain();
    }
    await drain();
  }
  if (!stopped && resolved === null && headers !== null && sample.length > 0) await handleSample();

  if (preview && mapping) {
    const counts = timeCounts(mapping);
    preview.totals = {
      rows_read: rowsRead,
      rows_valid: rowsRead - rejected,
      rejected,
      series: previewSeries.size,
      first_utc: validMin === Infinity ? null : new Date(validMin).toISOString(),
      last_utc: validMax === -Infinity ? null : new Date(validMax).toISOString(),
      naive_timestamps: counts?.naive ?? 0,
      dst: counts?.dst ?? ZERO_DST,
      total_problems: totalProblems,
      problem_groups: groups.list(),
      complete: stoppedAtRow === null,
    };
  }
  if (headers === null) throw formatError("csv_empty", "The file is empty");
  if (rowsRead === 0) throw formatError("csv_no_rows", "The file has a header but no data rows", { row: 2 });
  if (strict && totalProblems > 0) {
    const n = totalProblems;
    return {
      kind: "refused",
      total: n,
      error: new AppError(
        "validation_failed",
        `${n.toLocaleString("en")} problem${n === 1 ? "" : "s"} in ${rejected.toLocaleString("en")} row${rejected === 1 ? "" : "s"}${stoppedAtRow === null ? "" : ` (reading stopped at row ${stoppedAtRow.toLocaleString("en")}; the rest of the file was not checked)`}${n > problems.length ? `, the first ${problems.length.toLocaleString("en")} listed` : ""}; nothing was stored. Fix them, or upload with on_error=skip to store the valid rows`,
        {
          errors: problems.map(toFieldProblem),
          extensions: { total_problems: n, problem_groups: groups.list(), complete: stoppedAtRow === null },
        },
      ),
    };
  }
  const { ready, unresolved } = tracker!.flush();
  for (const r of ready) put(r);
  if (unresolved > 0)
    throw formatError(
      "csv_interval_unknown",
      "The interval cannot be inferred (a series with a single row and no other series to go by): add an interval_seconds column",
    );
  if (rollupWrite) await rollupWrite;
  const last = encoder!.take();
  if (newMonths.size) {
    await endCopy();
    await ensureNewMonths();
    openCopy();
  }
  await endCopy(last);
  rollups!.finish();
  if (client) {
    if (rollups!.ordered) await pendingRollups.write(client);
    else await rebuildVersionRollups(client, versionId);
  }
  if (stored === 0) {
    return {
      kind: "refused",
      total: totalProblems,
      error: new AppError("validation_failed", "No valid row to store", {
        errors: problems.map(toFieldProblem),
        extensions: { total_problems: totalProblems, problem_groups: groups.list(), complete: true },
      }),
    };
  }
  const importSummary = (): ImportSummary => {
    const counts = timeCounts(mapping!);
    return {
      used: resolved!,
      given: given,
      dst: counts?.dst ?? ZERO_DST,
      naive_timestamps: counts?.naive ?? 0,
    };
  };
  const signalNames = mapping!.signals.map((s) => s.name);
  const series = tracker!.report((i) => signalNames[i]!);
  const quality: QualityReport = {
    thresholds: {
      max_missing_ratio: thresholds.maxMissingRatio,
      max_staleness_seconds: thresholds.maxStalenessSeconds,
    },
    passes: series.every((s) => s.passes.missing && s.passes.staleness),
    rows_read: rowsRead,
    rows_stored: stored,
    rows_rejected: rejected,
    duplicates: tracker!.duplicates,
    out_of_range: Object.fromEntries(outOfRange),
    rejected: problems.map(toFieldProblem),
    series,
  };
  return {
    kind: "ok",
    stats: {
      stored,
      rejected,
      duplicates: tracker!.duplicates,
      timeStart: new Date(min),
      timeEnd: new Date(max),
      interval: tracker!.dominantInterval(),
      columns: headers.map((h, i) => {
        const role = mapping!.roles[i]!;
        return {
          header: h,
          column: roleColumn(role),
          note:
            role?.kind === "signal" ? role.unitNote : mapping!.ignoredByMapping[i] ? "ignored by the mapping" : null,
        };
      }),
      import: importSummary(),
      series: series.map((s) => ({
        site_id: s.site_id,
        facility_id: s.facility_id,
        cluster_id: s.cluster_id,
        zone_id: s.zone_id,
        rows: s.rows,
      })),
      warnings: mapping!.warnings,
      quality,
    },
  };
}
