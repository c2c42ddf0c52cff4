// The scope (scope.ts) as SQL: conditions on the tenants, the assets and the sources an
// observation or rollup row must match, the dataset versions it reads, and where its data ends.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { HOUR_MS, LATEST_READY_VERSION_IDS_SQL, liveMassSql } from "@/lib/rollups/measures";
import type { Scope } from "../types";

/** SQL conditions on the tenants and assets of the scope, on `o` (an observation) or `r` (a rollup row). */
function assetsSql(s: Scope, alias: "o" | "r"): Prisma.Sql[] {
  const a = Prisma.raw(alias);
  const parts: Prisma.Sql[] = [];
  if (s.tenantIds)
    parts.push(s.tenantIds.length === 0 ? Prisma.sql`false` : Prisma.sql`${a}.tenant_id = any(${s.tenantIds})`);
  if (s.siteId) parts.push(Prisma.sql`${a}.site_id = ${s.siteId}`);
  if (s.facilityId) parts.push(Prisma.sql`${a}.facility_id = ${s.facilityId}`);
  if (s.clusterId) parts.push(Prisma.sql`${a}.cluster_id = ${s.clusterId}`);
  if (s.zoneId) parts.push(Prisma.sql`${a}.zone_id = ${s.zoneId}`);
  return parts;
}

/**
 * The scope's sources as alternative conditions: the chosen dataset versions (an array computed
 * once per query) and/or the live MASS observations, whose dataset_version_id is null (not
 * tombstoned, and of readings repeating a series' timestamp the latest received). Both are
 * conditions on dataset_version_id first, so an index on (dataset_version_id, time) serves either;
 * a query reading many time ranges should run one branch per source rather than OR them.
 */
export function sourceBranchesSql(s: Scope, alias: "o" | "r" = "o"): Prisma.Sql[] {
  const a = Prisma.raw(alias);
  const csv = s.version
    ? Prisma.sql`${a}.dataset_version_id = ${s.version}::uuid`
    : Prisma.sql`${a}.dataset_version_id = any(${Prisma.raw(LATEST_READY_VERSION_IDS_SQL)})`;
  // A MASS reading repeated for one series and interval counts once: the latest received.
  const mass = alias === "r" ? Prisma.sql`r.dataset_version_id is null` : Prisma.raw(`(${liveMassSql("o")})`);
  if (s.version || s.source === "csv") return [csv];
  if (s.source === "mass") return [mass];
  return [csv, mass];
}

/**
 * The scope's sources on `o`, one branch per dataset version (the versions looked up now) and one
 * for live MASS rows: each branch is then one ordered range of the (dataset_version_id,
 * interval_start) index, which lets a long read in time order stream without sorting.
 */
export async function sourceBranchesPerVersion(s: Scope): Promise<Prisma.Sql[]> {
  const [, mass] = sourceBranchesSql({ ...s, version: undefined, source: "all" });
  if (s.source === "mass" && !s.version) return [mass!];
  const versions = await db().$queryRaw<{ id: string }[]>`select v.id from (${versionsSql(s)}) v`;
  const csv = versions.map((v) => Prisma.sql`o.dataset_version_id = ${v.id}::uuid`);
  return s.version || s.source === "csv" ? csv : [...csv, mass!];
}

/** SQL conditions for the scope on `o` (an observation) or `r` (a rollup row), without the period. */
export function scopeSql(s: Scope, alias: "o" | "r" = "o", branch?: Prisma.Sql): Prisma.Sql {
  const sources = branch ?? Prisma.sql`(${Prisma.join(sourceBranchesSql(s, alias), " or ")})`;
  return Prisma.join([...assetsSql(s, alias), sources], " and ");
}

/** The dataset versions a scope reads (the chosen one, or the latest of each visible dataset). */
export function versionsSql(s: Scope): Prisma.Sql {
  const tenant = s.tenantIds
    ? s.tenantIds.length === 0
      ? Prisma.sql`and false`
      : Prisma.sql`and d.tenant_id = any(${s.tenantIds})`
    : Prisma.empty;
  if (s.version)
    return Prisma.sql`select v.* from dataset_version v join dataset d on d.id = v.dataset_id where v.id = ${s.version}::uuid and v.state = 'ready' ${tenant}`;
  return Prisma.sql`select distinct on (v.dataset_id) v.* from dataset_version v join dataset d on d.id = v.dataset_id where v.state = 'ready' ${tenant} order by v.dataset_id, v.version desc`;
}

/**
 * The end of the data in scope. With a site, facility, cluster or zone chosen, the end of *that*
 * scope's data: a preset period must end where the chosen site's data ends, not where another
 * site's does (a site whose data stops a day earlier showed "No observations" for "last 24 hours").
 * Without one, the dataset versions' ends come from their metadata (each version's last interval).
 * Either way, a source's live rows are found through the hourly rollups: the last hour with data
 * through their (source, bucket) index, then the raw rows of that hour for the exact end
 * (endThroughRollups). The live MASS readings of a whole tenant were once found through their
 * requests (`mass_request_id in (…)`): a probe of every month's index per request, planned on every
 * month — it grew with the requests and the months kept.
 */
export async function dataEnd(s: Scope): Promise<Date | null> {
  if (s.siteId || s.facilityId || s.clusterId || s.zoneId) {
    const versions =
      s.source === "mass" && !s.version
        ? []
        : await db().$queryRaw<{ id: string }[]>`select v.id from (${versionsSql(s)}) v`;
    const branches = versions.map((v) => Prisma.sql`r.dataset_version_id = ${v.id}::uuid`);
    if (!s.version && s.source !== "csv") branches.push(Prisma.sql`r.dataset_version_id is null`);
    return endThroughRollups(s, branches);
  }
  const csv =
    s.source === "mass" && !s.version
      ? Prisma.sql`null::timestamptz`
      : Prisma.sql`(select max(v.time_end + make_interval(secs => coalesce(v.interval_seconds, 0))) from (${versionsSql(s)}) v)`;
  const mass =
    s.source === "csv" || s.version
      ? null
      : await endThroughRollups({ ...s, source: "mass" }, [Prisma.sql`r.dataset_version_id is null`]);
  const [row] = await db().$queryRaw<{ end: Date | null }[]>`select greatest(${csv}, ${mass}::timestamptz) as end`;
  return row?.end ?? null;
}

/**
 * The end of the scope's rows of the sources `branches` names (conditions on a rollup row `r`):
 * one max per source, each a backward walk of the (source, bucket) index that stops at the first
 * hour of the scope's tenants and assets (OR-ing the sources read every hourly rollup: 1.2 s at
 * 10 M); then the raw rows of the latest of those hours, again one max per source (OR-ing them,
 * with the MASS branch's check for a later reading, kept the planner off the (source, time) index —
 * 120 ms at 10 M).
 *
 * The hour is a parameter of a statement of its own, so that the planner prunes the monthly
 * partitions of `observation` to that hour's month. Taken from a CTE in the same statement, it was
 * known only when the statement ran: the planner then planned each source's read on every month
 * (2 × 286 index scans in the dashboard bench: 0.4 s of planning on a loaded machine, for 0.3 ms
 * of execution), and run-time pruning skipped all but one of them only afterwards. Two statements
 * see two snapshots: should the hour's rows go in between (a MASS reading tombstoned, a version
 * deleted), the hour is looked up again.
 */
async function endThroughRollups(s: Scope, branches: Prisma.Sql[]): Promise<Date | null> {
  if (branches.length === 0) return null;
  const scoped = assetsSql(s, "r");
  const assets = scoped.length ? Prisma.join(scoped, " and ") : Prisma.sql`true`;
  const lasts = branches.map(
    (b) => Prisma.sql`(select max(r.bucket) from observation_rollup_hour r where ${b} and ${assets})`,
  );
  for (let attempt = 1; ; attempt++) {
    const [last] = await db().$queryRaw<{ b: Date | null }[]>`select greatest(${Prisma.join(lasts, ", ")}) as b`;
    if (!last?.b) return null;
    const from = last.b;
    const to = new Date(from.getTime() + HOUR_MS);
    const ends = sourceBranchesSql(s, "o").map(
      (branch) =>
        Prisma.sql`(select max(o.interval_end) from observation o where o.interval_start >= ${from}::timestamptz and o.interval_start < ${to}::timestamptz and ${scopeSql(s, "o", branch)})`,
    );
    const [row] = await db().$queryRaw<{ end: Date | null }[]>`select greatest(${Prisma.join(ends, ", ")}) as end`;
    if (row?.end || attempt === 3) return row?.end ?? null;
  }
}
