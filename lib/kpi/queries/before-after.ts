// Before/after's read (before-after.ts): a period's average profile by time of day or of week.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Period, Scope } from "../types";
import { periodObservations } from "./kpis";

export type ProfileRow = { slot: number; kw: number | null; pue: number | null };

/** Per slot (hour of day 0–23, or of ISO week 0–167, UTC): average facility power and PUE. */
export function profileRows(scope: Scope, period: Period, kind: "day" | "week"): Promise<ProfileRow[]> {
  const slot =
    kind === "day"
      ? "extract(hour from o.interval_start at time zone 'UTC')"
      : "(extract(isodow from o.interval_start at time zone 'UTC') - 1) * 24 + extract(hour from o.interval_start at time zone 'UTC')";
  // Average facility power in a slot = its energy over the time the slot's intervals cover.
  return db().$queryRaw<ProfileRow[]>`
    select ${Prisma.raw(slot)}::int as slot,
           (sum(o.facility_power_kw * o.h) / nullif(count(distinct o.interval_start) * min(o.h), 0))::float8 as kw,
           (sum(o.facility_power_kw * o.h) filter (where o.it_load_kw is not null) / nullif(sum(o.it_load_kw * o.h) filter (where o.facility_power_kw is not null), 0))::float8 as pue
      from (${periodObservations(scope, period)}) o
     group by 1 order by 1`;
}
