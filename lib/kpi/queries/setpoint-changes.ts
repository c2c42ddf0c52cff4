// The setpoint changes' reads (setpoint-changes.ts): the days where the day rollups show a change
// can be, then those days' raw rows.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { LEVEL_TABLE } from "@/lib/rollups/measures";
import { DAY_MS } from "../rollup-plan";
import type { Scope } from "../types";
import { scopeSql } from "./scope";

/** A change of a site's cooling setpoint, found in the stored readings. */
export type SetpointChange = { at: Date; tenant: string; site: string; from: number; to: number };

export type Candidate = {
  tenant_id: string;
  site_id: string;
  facility_id: string | null;
  cluster_id: string | null;
  zone_id: string | null;
  dataset_version_id: string | null;
  day: Date;
  previous_day: Date | null;
};

/**
 * The series-days whose setpoint varies, or differs from (or follows a varying) previous day with
 * one, newest first, each with that previous day.
 */
export function setpointCandidates(scope: Scope): Promise<Candidate[]> {
  return db().$queryRaw<Candidate[]>`
    select tenant_id, site_id, facility_id, cluster_id, zone_id, dataset_version_id, bucket as day, previous_day
      from (select r.tenant_id, r.site_id, r.facility_id, r.cluster_id, r.zone_id, r.dataset_version_id, r.bucket, r.setpoint_min_c, r.setpoint_max_c,
                   lag(r.bucket) over w as previous_day, lag(r.setpoint_min_c) over w as previous_min, lag(r.setpoint_max_c) over w as previous_max
              from ${Prisma.raw(LEVEL_TABLE.day)} r
             where r.setpoint_min_c is not null and ${scopeSql(scope, "r")}
            window w as (partition by r.tenant_id, r.site_id, r.facility_id, r.cluster_id, r.zone_id, r.dataset_version_id order by r.bucket)) d
     where setpoint_min_c <> setpoint_max_c or previous_min <> previous_max or previous_min <> setpoint_min_c
     order by bucket desc`;
}

/** The changes on the candidates' days, from their raw rows (and the previous day's, for the value before). */
export function changesOn(scope: Scope, candidates: Candidate[]): Promise<SetpointChange[]> {
  const id = (column: string, value: string | null) =>
    value === null ? Prisma.sql`${Prisma.raw(column)} is null` : Prisma.sql`${Prisma.raw(column)} = ${value}`;
  const window = (
    c: Candidate,
  ) => Prisma.sql`(o.tenant_id = ${c.tenant_id} and o.site_id = ${c.site_id} and ${id("o.facility_id", c.facility_id)} and ${id("o.cluster_id", c.cluster_id)} and ${id("o.zone_id", c.zone_id)}
      and ${c.dataset_version_id === null ? Prisma.sql`o.dataset_version_id is null` : Prisma.sql`o.dataset_version_id = ${c.dataset_version_id}::uuid`}
      and o.interval_start >= ${c.previous_day ?? c.day} and o.interval_start < ${new Date(c.day.getTime() + DAY_MS)})`;
  const ownDay = (
    c: Candidate,
  ) => Prisma.sql`(o.tenant_id = ${c.tenant_id} and o.site_id = ${c.site_id} and ${id("o.facility_id", c.facility_id)} and ${id("o.cluster_id", c.cluster_id)} and ${id("o.zone_id", c.zone_id)}
      and ${id("o.dataset_version_id::text", c.dataset_version_id)} and o.interval_start >= ${c.day} and o.interval_start < ${new Date(c.day.getTime() + DAY_MS)})`;
  return db().$queryRaw<SetpointChange[]>`
    with s as (
      select o.interval_start, o.tenant_id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.dataset_version_id, o.cooling_setpoint_c,
             lag(o.cooling_setpoint_c) over (partition by o.tenant_id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.dataset_version_id order by o.interval_start, o.id) as previous
        from observation o
       where o.cooling_setpoint_c is not null and ${scopeSql(scope)} and (${Prisma.join(candidates.map(window), " or ")}))
    select o.interval_start as at, o.tenant_id as tenant, o.site_id as site, min(o.previous)::float8 as from, min(o.cooling_setpoint_c)::float8 as to
      from s o
     where o.previous is not null and o.previous <> o.cooling_setpoint_c and (${Prisma.join(candidates.map(ownDay), " or ")})
     group by 1, 2, 3
     order by 1 desc, 3, 2`;
}
