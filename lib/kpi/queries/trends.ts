// The trends' read (trends.ts): the plan's parts summed per chart bucket.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { RollupPlan } from "../rollup-plan";
import type { Scope } from "../types";
import { periodPartsSql } from "./rollup-parts";

export type TrendRow = {
  bucket: Date;
  fac_kwh: number | null;
  it_kwh: number | null;
  pue_fac: number | null;
  pue_it: number | null;
  p95: number | null;
  p95_max: number | null;
  cost: number | null;
  carbon: number | null;
  carbon_kwh: number | null;
};

/** Per bucket of `step` seconds from `origin` (date_bin), the sums its averages are made of. */
export function trendRows(scope: Scope, plan: RollupPlan, step: number, origin: Date): Promise<TrendRow[]> {
  return db().$queryRaw<TrendRow[]>`
    select date_bin(make_interval(secs => ${step}), p.bucket, ${origin}::timestamptz) as bucket,
           sum(p.facility_kwh)::float8 as fac_kwh,
           sum(p.it_kwh)::float8 as it_kwh,
           sum(p.pue_facility_kwh)::float8 as pue_fac,
           sum(p.pue_it_kwh)::float8 as pue_it,
           (sum(p.p95_inlet_sum_c) / nullif(sum(p.p95_inlet_count), 0))::float8 as p95,
           max(p.p95_inlet_max_c)::float8 as p95_max,
           sum(p.cost)::float8 as cost,
           sum(p.co2e_g)::float8 as carbon,
           sum(p.carbon_facility_kwh)::float8 as carbon_kwh
      from (${periodPartsSql(scope, plan, Prisma.sql`date_bin(make_interval(secs => ${step}), o.interval_start, ${origin}::timestamptz)`)}) p
     group by 1
     order by 1`;
}
