// The stale-run query of lib/mv/queries/intervals.ts (then lib/mv/load-intervals.ts) before its
// single ordered pass: every reading of every checked column through two window passes
// partitioned by the four series ids and the column. Kept as a reference: the oracle test compares
// it too, the M&V benchmark times both.
import type { db as Db } from "@/lib/db";
import type { Prisma as PrismaNs } from "@/lib/generated/prisma/client";

export type StaleRunRow = {
  site_id: string;
  facility_id: string | null;
  cluster_id: string | null;
  zone_id: string | null;
  column: string;
  value: number;
  first_start: Date;
  last_end: Date;
};

export function previousStaleRuns(
  db: typeof Db,
  Prisma: typeof PrismaNs,
  obs: PrismaNs.Sql,
  columns: readonly string[],
  thresholdSeconds: number,
) {
  const values = Prisma.join(columns.map((c) => Prisma.sql`(${c}::text, ${Prisma.raw(`o.${c}`)}::float8)`));
  const series = Prisma.sql`site_id, facility_id, cluster_id, zone_id, col`;
  return db().$queryRaw<StaleRunRow[]>`
    with s as (
      select o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.interval_start, o.interval_end, v.col, v.val
        from (${obs}) o cross join lateral (values ${values}) v(col, val)
       where v.val is not null),
    g as (select s.*, case when s.val is distinct from lag(s.val) over (partition by ${series} order by s.interval_start) then 1 else 0 end as brk from s),
    i as (select g.*, sum(g.brk) over (partition by ${series} order by g.interval_start rows unbounded preceding) as island from g)
    select site_id, facility_id, cluster_id, zone_id, col as column, min(val)::float8 as value, min(interval_start) as first_start, max(interval_end) as last_end
      from i
     group by ${series}, island
    having extract(epoch from max(interval_start) - min(interval_start)) > ${thresholdSeconds}
     order by first_start, site_id, facility_id nulls first, cluster_id nulls first, zone_id nulls first, col`;
}
