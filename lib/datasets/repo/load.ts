// The SQL of a CSV load's transaction (lib/datasets/load.ts), on the load's own connection: the
// transaction opened and ended, the dataset locked, the version opened 'loading' and marked
// 'ready', identical bytes found, where the new data overlaps other live data, the planner's
// statistics refreshed after a big load.
import "server-only";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { pgPool } from "@/lib/db/pg-pool";
import { logger } from "@/lib/observability/logger";
import type { Stats } from "../load-stats";
import type { ImportOptions } from "../import-options";
import type { LoadInput } from "../load-input";

/** Loads of at least this many rows refresh the planner's statistics of the tables they grew. */
const ANALYZE_AFTER_ROWS = 100_000;

/** A load's transaction: its connection of the COPY pool, on which the domain runs no statement itself (it hands it on). */
export type LoadTx = pg.PoolClient;

/** How a load's transaction ends: committed, or rolled back (identical bytes: nothing new to keep). */
export type LoadEnd<T> = { commit: true; result: T; rowsStored: number } | { commit: false; result: T };

/**
 * Runs a load in one transaction on a connection of the COPY pool (a plain `pg` client: COPY).
 * `work` answers whether to commit; after a commit the planner's statistics are refreshed when the
 * load was big (refreshStatisticsAfter). Rolled back when `work` throws (the error passes on); the
 * connection goes back to the pool either way.
 */
export async function inLoadTransaction<T>(work: (tx: LoadTx) => Promise<LoadEnd<T>>): Promise<T> {
  const client = await pgPool().connect();
  try {
    await client.query("begin");
    const end = await work(client);
    if (!end.commit) {
      await client.query("rollback");
      return end.result;
    }
    await client.query("commit");
    await refreshStatisticsAfter(client, end.rowsStored);
    return end.result;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function lockDataset(client: pg.PoolClient, input: LoadInput): Promise<{ id: string }> {
  await client.query(
    `insert into dataset (id, tenant_id, name, created_by_type, created_by_id) values ($1, $2, $3, $4, $5)
     on conflict (tenant_id, name) do nothing`,
    [randomUUID(), input.tenantId, input.name, input.actor.type, input.actor.id ?? "system"],
  );
  // Uploads to one dataset take turns: version numbers and the identical-bytes check stay exact.
  const { rows } = await client.query<{ id: string }>(
    "select id from dataset where tenant_id = $1 and name = $2 for update",
    [input.tenantId, input.name],
  );
  return rows[0]!;
}

/** The version row, 'loading' until marked ready (its observations point at it); numbered after the last. */
export async function openVersion(
  client: pg.PoolClient,
  datasetId: string,
  input: LoadInput,
): Promise<{ versionId: string; version: number }> {
  const versionId = randomUUID();
  const version = (
    await client.query<{ next: number }>(
      "select coalesce(max(version), 0) + 1 as next from dataset_version where dataset_id = $1",
      [datasetId],
    )
  ).rows[0]!.next;
  await client.query(
    `insert into dataset_version (id, dataset_id, version, sha256, size_bytes, on_error, filename, uploaded_by_type, uploaded_by_id)
     values ($1, $2, $3, $4, 0, $5, $6, $7, $8)`,
    [
      versionId,
      datasetId,
      version,
      `pending:${versionId}`,
      input.onError,
      input.filename,
      input.actor.type,
      input.actor.id ?? "system",
    ],
  );
  return { versionId, version };
}

/** A ready version of the dataset with these bytes, if one exists. */
export async function readyVersionWithHash(
  client: pg.PoolClient,
  datasetId: string,
  sha256: string,
): Promise<{ id: string; version: number } | null> {
  const { rows } = await client.query<{ id: string; version: number }>(
    "select id, version from dataset_version where dataset_id = $1 and sha256 = $2 and state = 'ready'",
    [datasetId, sha256],
  );
  return rows[0] ?? null;
}

export async function markVersionReady(
  client: pg.PoolClient,
  versionId: string,
  file: { sha256: string; bytes: number },
  stats: Stats,
): Promise<void> {
  await client.query(
    `update dataset_version set state = 'ready', sha256 = $2, size_bytes = $3, row_count = $4, rejected_count = $5, duplicate_count = $6,
       time_start = $7, time_end = $8, interval_seconds = $9, columns = $10, series = $11, warnings = $12, quality = $13,
       import_options = $14
     where id = $1`,
    [
      versionId,
      file.sha256,
      file.bytes,
      stats.stored,
      stats.rejected,
      stats.duplicates,
      stats.timeStart,
      stats.timeEnd,
      stats.interval,
      JSON.stringify(stats.columns),
      JSON.stringify(stats.series),
      JSON.stringify(stats.warnings),
      JSON.stringify(stats.quality),
      JSON.stringify(stats.import),
    ],
  );
}

/** The options saved with the dataset: those given (or reused) for its latest ready version. */
export async function savedImportOptions(client: pg.PoolClient, datasetId: string): Promise<ImportOptions | null> {
  const { rows } = await client.query<{ given: ImportOptions | null }>(
    `select import_options -> 'given' as given from dataset_version
      where dataset_id = $1 and state = 'ready' order by version desc limit 1`,
    [datasetId],
  );
  return rows[0]?.given ?? null;
}

export /**
 * Where the new version's data meets other live data of the same assets (another dataset's latest
 * version, or MASS readings), by UTC hour, from the rollups written in this transaction. The
 * dashboard counts each asset-hour from one source (the latest upload wins, so this one), never
 * the sum; the warning tells the user it happened and where.
 */
async function overlapWarnings(
  client: pg.PoolClient,
  tenantId: string,
  datasetId: string,
  versionId: string,
  from: Date | null,
  to: Date | null,
): Promise<{ column: string; message: string }[]> {
  if (!from || !to) return [];
  const { rows } = await client.query<{ source: string; hours: number; sites: string; first: Date; last: Date }>(
    `with others as (
       select distinct on (v.dataset_id) v.id from dataset_version v join dataset d on d.id = v.dataset_id
        where d.tenant_id = $1 and v.dataset_id <> $2 and v.state = 'ready' order by v.dataset_id, v.version desc)
     select coalesce('dataset "' || d.name || '" v' || v.version, 'MASS readings') as source, count(*)::int as hours,
            string_agg(distinct n.site_id, ', ' order by n.site_id) as sites, min(n.bucket) as first, max(n.bucket) as last
       from observation_rollup_hour n
       join observation_rollup_hour o
         on o.bucket = n.bucket and o.tenant_id = n.tenant_id and o.site_id = n.site_id and o.facility_id is not distinct from n.facility_id
        and o.cluster_id is not distinct from n.cluster_id and o.zone_id is not distinct from n.zone_id
        and (o.dataset_version_id = any(array(select id from others)) or o.dataset_version_id is null)
       left join dataset_version v on v.id = o.dataset_version_id
       left join dataset d on d.id = v.dataset_id
      where n.dataset_version_id = $3 and n.bucket >= $4 and n.bucket <= $5 and o.bucket >= $4 and o.bucket <= $5
      group by 1 order by 1`,
    [tenantId, datasetId, versionId, new Date(Math.floor(from.getTime() / 3_600_000) * 3_600_000), to],
  );
  return rows.map((r) => ({
    column: "overlap",
    message: `overlaps ${r.source} on ${r.hours} hour${r.hours === 1 ? "" : "s"} (${r.sites}; ${r.first.toISOString()} – ${r.last.toISOString()}): the dashboard counts those hours once, from this upload (the latest wins)`,
  }));
}

/**
 * After a commit: a big load changes the tables' statistics at once (autovacuum gets to them later);
 * refresh them so the dashboard's next queries are planned on the real sizes. Failing is only logged.
 */
export async function refreshStatisticsAfter(client: pg.PoolClient, rowsStored: number): Promise<void> {
  if (rowsStored < ANALYZE_AFTER_ROWS) return;
  await client.query("analyze observation_rollup_hour, observation_rollup_day, observation").catch((error: unknown) => {
    logger.warn("could not refresh table statistics after a load", { error: String(error) });
  });
}
