// Daily coverage of a version's series: rows per day against the rows the interval implies.
import "server-only";
import { db } from "@/lib/db";

export type DailyCoverage = { series: string; days: { day: string; rows: number }[] };

export async function dailyCoverage(versionId: string): Promise<DailyCoverage[]> {
  const rows = await db().$queryRaw<{ day: Date; series: string; rows: bigint }[]>`
    select date_trunc('day', interval_start at time zone 'UTC') as day,
           concat_ws('/', site_id, facility_id, cluster_id, zone_id) as series,
           count(*) as rows
      from observation
     where dataset_version_id = ${versionId}::uuid
     group by 1, 2
     order by 2, 1`;
  const bySeries = new Map<string, { day: string; rows: number }[]>();
  for (const r of rows) {
    const list = bySeries.get(r.series) ?? [];
    list.push({
      day: new Date(`${r.day.toISOString().slice(0, 10)}T00:00:00Z`).toISOString().slice(0, 10),
      rows: Number(r.rows),
    });
    bySeries.set(r.series, list);
  }
  return [...bySeries].map(([series, days]) => ({ series, days }));
}
