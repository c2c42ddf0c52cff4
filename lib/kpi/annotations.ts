// The events marked on the trend charts of a period: cooling-setpoint changes found in the stored
// readings (the before/after page's events, setpoint-changes.ts), recommendations marked
// implemented (when their effect started) and dataset versions loaded, all in the scope's tenants
// and assets, oldest first.
import "server-only";
import { implementationsIn, loadsIn } from "./queries/annotations";
import { changesOn, setpointCandidates } from "./queries/setpoint-changes";
import { DAY_MS } from "./rollup-plan";
import type { Period, Scope } from "./scope";

export type AnnotationKind = "setpoint" | "recommendation" | "dataset";
export type Annotation = { at: string; kind: AnnotationKind; label: string };

const number = (v: number) => v.toLocaleString("en", { maximumFractionDigits: 2 });

/** Setpoint changes in [from, to): the day rollups' candidate days that meet the period, read raw. */
export async function setpointChangesIn(scope: Scope, period: Period) {
  const first = Math.floor(period.from.getTime() / DAY_MS) * DAY_MS;
  const candidates = (await setpointCandidates(scope)).filter(
    (c) => c.day.getTime() >= first && c.day.getTime() < period.to.getTime(),
  );
  if (candidates.length === 0) return [];
  const changes = await changesOn(scope, candidates);
  return changes.filter((c) => c.at >= period.from && c.at < period.to).sort((a, b) => a.at.getTime() - b.at.getTime());
}

export async function annotations(scope: Scope, period: Period): Promise<Annotation[]> {
  const tenants = scope.tenantIds?.length === 1 ? null : (t: string) => ` (${t})`;
  const [setpoints, implemented, loads] = await Promise.all([
    setpointChangesIn(scope, period),
    implementationsIn(scope, period),
    loadsIn(scope, period),
  ]);
  const out: (Omit<Annotation, "at"> & { t: number })[] = [
    ...setpoints.map((c) => ({
      t: c.at.getTime(),
      kind: "setpoint" as const,
      label: `${c.site}: setpoint ${number(c.from)} → ${number(c.to)} °C${tenants?.(c.tenant) ?? ""}`,
    })),
    ...implemented.map((i) => ({
      t: i.at.getTime(),
      kind: "recommendation" as const,
      label: `Implemented ${i.category} ${i.rec_id}${i.site_id ? ` at ${i.site_id}` : ""}${
        i.applied_value === null ? "" : ` (${number(i.applied_value)})`
      }${tenants?.(i.tenant_id) ?? ""}`,
    })),
    ...loads.map((l) => ({
      t: l.at.getTime(),
      kind: "dataset" as const,
      label: `Loaded ${l.dataset} v${l.version}${tenants?.(l.tenant_id) ?? ""}`,
    })),
  ];
  return out.sort((a, b) => a.t - b.t).map(({ t, kind, label }) => ({ at: new Date(t).toISOString(), kind, label }));
}
