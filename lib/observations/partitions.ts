// The monthly partitions of `observation` (migration *_observation_monthly_partitions): a row can
// only be stored once the partition of its interval_start's UTC month exists, and there is no
// default partition to catch it. Writers ensure the months a load touches before writing:
//
// - MASS ingest (lib/mass/ingest.ts, batch.ts) asks the database only for months this process
//   has not seen yet, in a short transaction of its own before the ingest transaction: the usual
//   ingest (a month already known) costs no round trip more.
// - The CSV loader (lib/datasets/load.ts) streams: when a row's month is new to the load it ends
//   the COPY, ensures the month the same way, makes its own transaction see it, and COPYs on.
//
// The creation runs in the database as ensure_observation_months, a SECURITY DEFINER function:
// the runtime role has no DDL rights. Months are dropped only by retention (./retention.ts), which
// forgets its months here; another replica's cache may still name a dropped month, so a write that
// finds no partition ensures its months again and retries once (withObservationMonths).
import "server-only";
import { createObservationMonths, ensureObservationMonthsIn, type OpenTransaction } from "./repo";

const known = new Set<string>();

/** The UTC month of `instant`, as "YYYY-MM". */
export function monthKey(instant: Date | number): string {
  const d = typeof instant === "number" ? new Date(instant) : instant;
  return `${String(d.getUTCFullYear()).padStart(4, "0")}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The first instant of a "YYYY-MM" month (UTC). */
export function monthStart(key: string): Date {
  const [y, m] = key.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(2000, m - 1, 1));
  d.setUTCFullYear(y);
  return d;
}

/** The partition name of a month: observation_y2026m03. */
export function partitionName(key: string): string {
  return `observation_y${key.slice(0, 4)}m${key.slice(5, 7)}`;
}

const monthStarts = (months: string[]) => months.map((k) => monthStart(k).toISOString());

/**
 * Runs ensure_observation_months for `months` in a short transaction of its own on the main pool
 * (./repo.ts: a partition's creation locks mass_request against writes until its commit).
 */
export async function ensureMonths(months: Iterable<string>): Promise<void> {
  const list = [...new Set(months)].sort();
  if (!list.length) return;
  await createObservationMonths(monthStarts(list));
  for (const k of list) known.add(k);
}

/**
 * For a transaction already open on `client` (a streaming load) about to write rows of `months`:
 * the missing ones are created on another connection (see ensureMonths), then ensured again in the
 * open transaction, where they now exist and are only locked (ACCESS SHARE): that makes the next
 * statement see partitions attached since the transaction began.
 */
export async function ensureMonthsInTransaction(client: OpenTransaction, months: string[]): Promise<void> {
  if (!months.length) return;
  await ensureMonths(months.filter((k) => !known.has(k)));
  await ensureObservationMonthsIn(client, monthStarts([...new Set(months)].sort()));
}

/** The months of `instants` this process has not ensured yet. */
export function unknownMonths(instants: Iterable<Date | number>): string[] {
  const out = new Set<string>();
  for (const t of instants) {
    const k = monthKey(t);
    if (!known.has(k)) out.add(k);
  }
  return [...out];
}

/** Ensures the partitions of the months of `instants` that this process has not seen yet. */
export async function ensureObservationMonths(instants: Iterable<Date | number>): Promise<void> {
  await ensureMonths(unknownMonths(instants));
}

/** Forgets months (retention dropped them), or all of them. */
export function forgetObservationMonths(months?: Iterable<string>): void {
  if (!months) return known.clear();
  for (const k of months) known.delete(k);
}

/** PostgreSQL's refusal of a row whose month has no partition (SQLSTATE 23514). */
export function isMissingPartition(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === "23514" && /no partition of relation/.test(e.message ?? "");
}

/**
 * Ensures the months of `instants`, then runs `write` (a whole transaction). When the write finds a
 * month missing (retention dropped it since this process saw it), the months are ensured again
 * and the write runs once more: the failed transaction rolled back, nothing of it was stored.
 */
export async function withObservationMonths<T>(instants: Date[], write: () => Promise<T>): Promise<T> {
  await ensureObservationMonths(instants);
  try {
    return await write();
  } catch (error) {
    if (!isMissingPartition(error)) throw error;
    const months = [...new Set(instants.map(monthKey))];
    forgetObservationMonths(months);
    await ensureMonths(months);
    return write();
  }
}
