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
import { mapHeader, type HeaderMapping } from "./columns";
import { BinaryRowEncoder, uuidField } from "./copy-binary";
import { csvRecordBatches } from "./csv-records";
import type { LoadInput } from "./load-input";
import { formatError, MAX_REPORTED_PROBLEMS, ProblemGroups, toFieldProblem } from "./load-problems";
import type { QualityReport, Stats } from "./load-stats";
import { QualityTracker, type ReadyRow } from "./quality";
import { ObservationCopy } from "./repo/copy";
import type { LoadTx } from "./repo/load";
import { parseRow, type RowProblem } from "./rows";

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

export type Outcome = { kind: "ok"; stats: Stats } | { kind: "refused"; error: AppError; total: number };

type CopyState = { copy: ObservationCopy | null; rollupWrite: Promise<void> | null };

export async function streamRows(
  client: LoadTx,
  text: Readable,
  input: LoadInput,
  versionId: string,
): Promise<Outcome> {
  const state: CopyState = { copy: null, rollupWrite: null };
  try {
    const outcome = await streamRowsInto(client, text, input, versionId, state);
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
  client: LoadTx,
  text: Readable,
  input: LoadInput,
  versionId: string,
  state: CopyState,
): Promise<Outcome> {
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
  let stoppedAtRow: number | null = null;
  let totalProblems = 0;
  let rowsRead = 0;
  let stored = 0;
  let rejected = 0;
  let min = Infinity;
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
      await lines.write(client);
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
    while (newMonths.size) {
      const months = [...newMonths];
      newMonths.clear();
      await ensureMonthsInTransaction(client, months);
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

  for await (const batch of csvRecordBatches(text)) {
    for (const record of batch) {
      if (headers === null) {
        headers = record.cells;
        mapping = mapHeader(headers);
        if (headers.length === 1 && /[;\t|]/.test(headers[0]!)) {
          const delimiter = /;/.test(headers[0]!) ? ";" : /\t/.test(headers[0]!) ? "tab" : "|";
          throw formatError(
            "csv_delimiter",
            `The header has a single column; the file seems to be separated by "${delimiter}" — use commas`,
            { row: 1 },
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
        copy = new ObservationCopy(client, columns);
        state.copy = copy;
        rollups = new RollupAccumulator(
          mapping.signals.map((s) => s.db),
          { tenantId: input.tenantId, versionId, currency: hasPrice ? "USD" : null },
          { hour: (line) => pendingRollups.push("hour", line), day: (line) => pendingRollups.push("day", line) },
        );
        openCopy();
        continue;
      }
      rowsRead += 1;
      const row = rowsRead + 1;
      const quoting = record.errors.length > 0 ? record.errors.find((e) => e.type === "Quotes") : undefined;
      if (quoting)
        throw formatError(
          "csv_quoting",
          `Row ${row}: ${quoting.message.toLowerCase()} (a quote opened and never closed, or text after a closing quote)`,
          { row },
        );
      const { parsed, problems: rowProblems } = parseRow(record.cells, headers, mapping!, row);
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
          break;
        }
        continue;
      }
      if (strict && totalProblems > 0) continue;
      const ready = tracker!.add(parsed!);
      for (let i = 0; i < ready.length; i++) put(ready[i]!);
      if (encoder!.full) await drain();
    }
    if (strict && problems.length >= MAX_REPORTED_PROBLEMS) break;
    await drain();
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
  if (rollups!.ordered) await pendingRollups.write(client);
  else await rebuildVersionRollups(client, versionId);
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
        const role = mapping!.roles[i];
        const column = !role
          ? null
          : role.kind === "signal"
            ? role.signal.name
            : role.kind === "id"
              ? role.name
              : role.kind === "timestamp"
                ? "timestamp_utc"
                : "interval_seconds";
        return { header: h, column, note: role?.kind === "signal" ? role.unitNote : null };
      }),
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
