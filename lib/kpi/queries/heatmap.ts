// The rack-inlet heatmap's read (heatmap.ts): per tenant, zone (site / zone, or cluster without
// one, as the worst zone names it) and chart bucket, the mean and the highest of the p95 rack-inlet
// readings, from the same parts as the trends (whole hours and days from the rollups, edges raw,
// one source per asset and hour).
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { RollupPlan } from "../rollup-plan";
import type { Scope } from "../types";
import { periodPartsSql } from "./rollup-parts";

export type HeatmapRow = {
  tenant_id: string;
  zone: string;
  bucket: Date;
  mean: number;
  max: number;
  readings: number;
};

/** Per tenant, zone and bucket of `step` seconds from `origin` (date_bin) holding readings. */
export function heatmapRows(scope: Scope, plan: RollupPlan, step: number, origin: Date): Promise<HeatmapRow[]> {
  const bin = (column: string) =>
    Prisma.sql`date_bin(make_interval(secs => ${step}), ${Prisma.raw(column)}, ${origin}::timestamptz)`;
  return db().$queryRaw<HeatmapRow[]>`
    select p.tenant_id, concat_ws(' / ', p.site_id, coalesce(p.zone_id, p.cluster_id)) as zone, ${bin("p.bucket")} as bucket,
           (sum(p.p95_inlet_sum_c) / sum(p.p95_inlet_count))::float8 as mean,
           max(p.p95_inlet_max_c)::float8 as max,
           sum(p.p95_inlet_count)::int as readings
      from (${periodPartsSql(scope, plan, bin("o.interval_start"))}) p
     group by 1, 2, 3
    having sum(p.p95_inlet_count) > 0
     order by 1, 2, 3`;
}
