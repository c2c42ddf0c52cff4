// The SQL a study's intervals are read with (lib/mv/load-intervals.ts computes from the rows): the
// observations of its scope and pinned sources (one per series and interval, by source precedence),
// their hourly sums, the variables present, stale runs, and the pinned versions' load counts.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { ASSET_KEYS, hourOf, versionRank } from "@/lib/kpi/queries/rollup-parts";
import type { StudySpec } from "../spec";

type HourRow = {
  hour: Date;
  hour_ms: number;
  hours: number;
  rows: number;
  energy_n: number;
  energy_kwh: number | null;
  it_n: number;
  it_kwh: number | null;
  facility_n: number;
  facility_kwh: number | null;
  temp_n: number;
  temp_c: number | null;
  price: number | null;
  carbon: number | null;
  price_boundary: number | null;
  carbon_boundary: number | null;
};

/** Columns a study may name (a whitelist: they are spliced into SQL). */
const POWER_COLUMNS = new Set(["facility_power_kw", "chiller_kw", "fan_power_kw", "it_load_kw"]);
const col = (name: string) => {
  if (!POWER_COLUMNS.has(name)) throw new Error(`not a power column: ${name}`);
  return Prisma.raw(`o.${name}`);
};

type StaleRun = {
  site_id: string;
  facility_id: string | null;
  cluster_id: string | null;
  zone_id: string | null;
  column: string;
  value: number;
  first_start: Date;
  last_end: Date;
};

/**
 * Stale runs (gaps and islands) in the observations a study reads: per series and checked column,
 * consecutive readings (in time, nulls skipped) with one value, longer than the threshold from the
 * first reading's start to the last one's — the dataset loader's rule (lib/datasets/quality.ts),
 * applied to what the study reads, so MASS readings and several versions are checked alike.
 *
 * One ordered pass over the rows (per series, by time) gives each checked column's value, the
 * previous and next rows' values and a running count of the column's values. A reading whose
 * neighbouring rows both hold other values is an island of its own, lasting 0 s (never longer than
 * the threshold), and is dropped there; almost every reading of a live meter is. The islands are
 * formed over the few readings left: a new one starts where the value changes, or where dropped
 * readings lay between two kept ones (their counts differ by more than 1) — so every island of two
 * or more readings is found whole, as reading every row would. The series is one length-prefixed
 * text key compared bytewise: sorting on it is much cheaper than on four nullable ids in the
 * database's collation. (One pass per column over every row took 2.4–2.8 s on the demo year.)
 */
export function staleRuns(obs: Prisma.Sql, columns: string[], thresholdSeconds: number) {
  const cols = columns.map((c, i) => ({
    name: c,
    sql: col(c),
    v: Prisma.raw(`v${i}`),
    p: Prisma.raw(`p${i}`),
    n: Prisma.raw(`n${i}`),
    k: Prisma.raw(`k${i}`),
  }));
  const part = (x: string) => `coalesce(length(o.${x}) || ':' || o.${x}, '-')`;
  const key = Prisma.raw(`(${["site_id", "facility_id", "cluster_id", "zone_id"].map(part).join(" || ")}) collate "C"`);
  const perColumn = Prisma.join(
    cols.map(
      (c) =>
        Prisma.sql`${c.sql}::float8 as ${c.v}, lag(${c.sql}::float8) over x as ${c.p}, lead(${c.sql}::float8) over x as ${c.n}, count(${c.sql}) over x as ${c.k}`,
    ),
  );
  // A reading that may belong to an island of two or more (with a negative threshold a lone one would count too).
  const kept = (v: Prisma.Sql, p: Prisma.Sql, n: Prisma.Sql) =>
    thresholdSeconds < 0
      ? Prisma.sql`${v} is not null`
      : Prisma.sql`(${v} is not null and (${p} is null or ${n} is null or ${p} = ${v} or ${n} = ${v}))`;
  const anyKept = Prisma.join(
    cols.map((c) => kept(Prisma.sql`w.${c.v}`, Prisma.sql`w.${c.p}`, Prisma.sql`w.${c.n}`)),
    " or ",
  );
  const values = Prisma.join(cols.map((c) => Prisma.sql`(${c.name}::text, w.${c.v}, w.${c.p}, w.${c.n}, w.${c.k})`));
  return db().$queryRaw<StaleRun[]>`
    with w as (
      select o.site_id, o.facility_id, o.cluster_id, o.zone_id, ${key} as series, o.interval_start, o.interval_end, ${perColumn}
        from (${obs}) o
      window x as (partition by ${key} order by o.interval_start rows between unbounded preceding and current row)),
    s as (
      select w.site_id, w.facility_id, w.cluster_id, w.zone_id, w.series, w.interval_start, w.interval_end, c.col, c.val, c.n
        from w cross join lateral (values ${values}) c(col, val, prev, next, n)
       where (${anyKept}) and ${kept(Prisma.sql`c.val`, Prisma.sql`c.prev`, Prisma.sql`c.next`)}),
    g as (
      select s.*, case when s.val is distinct from lag(s.val) over y or s.n - lag(s.n) over y <> 1 then 1 else 0 end as brk
        from s window y as (partition by s.series, s.col order by s.interval_start)),
    i as (select g.*, sum(g.brk) over (partition by g.series, g.col order by g.interval_start rows unbounded preceding) as island from g)
    select site_id, facility_id, cluster_id, zone_id, col as column, min(val)::float8 as value, min(interval_start) as first_start, max(interval_end) as last_end
      from i
     group by series, site_id, facility_id, cluster_id, zone_id, col, island
    having extract(epoch from max(interval_start) - min(interval_start)) > ${thresholdSeconds}
     order by first_start, site_id, facility_id nulls first, cluster_id nulls first, zone_id nulls first, col`;
}

const COLUMNS = Prisma.sql`o.id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.interval_start, o.interval_end, o.dataset_version_id,
  o.facility_power_kw, o.it_load_kw, o.chiller_kw, o.fan_power_kw, o.outdoor_temp_c, o.energy_price_per_kwh, o.carbon_intensity_gco2_per_kwh, o.currency`;

/**
 * Observations of the study's scope and source, one per series and interval, by the dashboard's
 * rule (README "One value per series and interval") applied to the sources the study pins: within
 * an asset's UTC hour only the highest-ranked source with data there counts — the latest uploaded
 * dataset version, dataset versions above MASS — and of MASS readings repeating a series'
 * timestamp, the latest received. Two pinned versions covering the same hours (a re-upload, a copy
 * under another name, a 15-minute and an hourly export) are never summed, and an hour is never
 * stitched from two of them.
 */
export function studyObservations(tenantId: string, spec: StudySpec, from: Date, to: Date): Prisma.Sql {
  const s = spec.scope;
  const conditions: Prisma.Sql[] = [
    Prisma.sql`o.tenant_id = ${tenantId}`,
    Prisma.sql`o.interval_start >= ${from}`,
    Prisma.sql`o.interval_start < ${to}`,
  ];
  if (s.siteId) conditions.push(Prisma.sql`o.site_id = ${s.siteId}`);
  if (s.facilityId) conditions.push(Prisma.sql`o.facility_id = ${s.facilityId}`);
  if (s.clusterId) conditions.push(Prisma.sql`o.cluster_id = ${s.clusterId}`);
  if (s.zoneId) conditions.push(Prisma.sql`o.zone_id = ${s.zoneId}`);
  const versions = [...new Set(spec.source.datasetVersionIds)];
  const sources: Prisma.Sql[] = [];
  if (versions.length > 0) sources.push(Prisma.sql`o.dataset_version_id = any(${versions}::uuid[])`);
  if (spec.source.massUntil) {
    sources.push(
      Prisma.sql`(o.deleted_at is null and o.mass_request_id in (select m.id from mass_request m where m.tenant_id = ${tenantId} and m.deleted_at is null and m.received_at <= ${new Date(spec.source.massUntil)}))`,
    );
  }
  conditions.push(Prisma.sql`(${Prisma.join(sources, " or ")})`);
  const rows = Prisma.sql`select ${COLUMNS}, extract(epoch from (o.interval_end - o.interval_start)) / 3600.0 as h from observation o where ${Prisma.join(conditions, " and ")}`;
  // One dataset version holds one row per series and timestamp (the loader drops repeats): alone, it needs no rule.
  if (versions.length <= 1 && !spec.source.massUntil) return rows;
  const asset = Prisma.raw(
    ASSET_KEYS.filter((k) => k !== "tenant_id")
      .map((k) => `r.${k}`)
      .join(", "),
  );
  return Prisma.sql`
    select w.* from (
      select r.*,
             max(r.rank) over (partition by ${asset}, ${hourOf("r.interval_start")}) as top,
             row_number() over (partition by ${asset}, r.interval_start, r.rank order by r.id desc) as nth
        from (select o.*, coalesce(${Prisma.raw(versionRank("v"))}, '0') as rank
                from (${rows}) o left join dataset_version v on v.id = o.dataset_version_id) r
    ) w
    where w.rank = w.top and w.nth = 1`;
}

/**
 * Every row a study's intervals are computed from, over the study's scope and pinned sources from
 * `from` to `to`: its series (with their currencies), hourly sums (energy over the boundary
 * `signals`), a count of each signal present, the stale runs of the `checked` columns and the
 * pinned versions that dropped or rejected rows at load. The five statements run concurrently.
 */
export async function readStudyRows(
  tenantId: string,
  spec: StudySpec,
  period: { from: Date; to: Date },
  signals: string[],
  checked: string[],
  staleAfterSeconds: number,
) {
  const obs = studyObservations(tenantId, spec, period.from, period.to);
  const energy = Prisma.sql`(${Prisma.join(signals.map(col), " + ")})`;
  const versionIds = [...new Set(spec.source.datasetVersionIds)];
  const [seriesRows, hours, present, runs, sources] = await Promise.all([
    db().$queryRaw<{ site_id: string; currency_min: string | null; currency_max: string | null }[]>`
      select o.site_id, min(o.currency) as currency_min, max(o.currency) as currency_max
        from (${obs}) o group by o.site_id, o.facility_id, o.cluster_id, o.zone_id`,
    db().$queryRaw<HourRow[]>`
      select (extract(epoch from h.hour) * 1000)::float8 as hour_ms, h.*
        from (
          select date_trunc('hour', o.interval_start at time zone 'UTC') as hour,
                 sum(o.h)::float8 as hours,
                 count(*)::int as rows,
                 count(${energy})::int as energy_n,
                 sum(${energy} * o.h)::float8 as energy_kwh,
                 count(o.it_load_kw)::int as it_n,
                 sum(o.it_load_kw * o.h)::float8 as it_kwh,
                 count(o.facility_power_kw)::int as facility_n,
                 sum(o.facility_power_kw * o.h)::float8 as facility_kwh,
                 count(o.outdoor_temp_c)::int as temp_n,
                 avg(o.outdoor_temp_c)::float8 as temp_c,
                 (sum(o.facility_power_kw * o.h * o.energy_price_per_kwh) / nullif(sum(o.facility_power_kw * o.h) filter (where o.energy_price_per_kwh is not null), 0))::float8 as price,
                 (sum(o.facility_power_kw * o.h * o.carbon_intensity_gco2_per_kwh) / nullif(sum(o.facility_power_kw * o.h) filter (where o.carbon_intensity_gco2_per_kwh is not null), 0))::float8 as carbon,
                 coalesce(sum(${energy} * o.h * o.energy_price_per_kwh) / nullif(sum(${energy} * o.h) filter (where o.energy_price_per_kwh is not null), 0), avg(o.energy_price_per_kwh))::float8 as price_boundary,
                 coalesce(sum(${energy} * o.h * o.carbon_intensity_gco2_per_kwh) / nullif(sum(${energy} * o.h) filter (where o.carbon_intensity_gco2_per_kwh is not null), 0), avg(o.carbon_intensity_gco2_per_kwh))::float8 as carbon_boundary
            from (${obs}) o
           group by 1
        ) h
       order by h.hour`,
    db().$queryRaw<
      Record<string, number>[]
    >`select count(*)::int as rows, ${Prisma.join(signals.map((c) => Prisma.sql`count(${col(c)})::int as ${Prisma.raw(c)}`))} from (${obs}) o`,
    staleRuns(obs, checked, staleAfterSeconds),
    versionIds.length === 0
      ? Promise.resolve([])
      : db().$queryRaw<
          {
            dataset: string;
            version: number;
            duplicates: number;
            rejected: number;
            out_of_range: Record<string, number> | null;
          }[]
        >`
          select d.name as dataset, v.version, v.duplicate_count as duplicates, v.rejected_count as rejected, v.quality -> 'out_of_range' as out_of_range
            from dataset_version v join dataset d on d.id = v.dataset_id
           where v.id = any(${versionIds}::uuid[]) and (v.duplicate_count > 0 or v.rejected_count > 0)
           order by d.name, v.version`,
  ]);
  return { seriesRows, hours, present, runs, sources };
}
