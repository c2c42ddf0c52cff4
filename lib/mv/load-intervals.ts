// A study's intervals from stored observations: hourly sums per boundary over the study's scope and
// pinned data source, then whole days for daily studies. An hour counts only when every series of
// the scope reported all of it with the variables the model needs; partial hours are left out and
// show up as lost coverage instead of as a dip in energy.
import "server-only";
import { MvError } from "./errors";
import { hoursTouched, MAX_LISTED_FLAGS, type InputQuality, type QualityFlag } from "./input-quality";
import { DAY_MS, type Interval } from "./intervals";
import { readStudyRows } from "./queries/intervals";
import { boundarySignalsOf, inputRules, resolveConventions, type StudySpec } from "./spec";

export type LoadedData = {
  baseline: Interval[];
  reporting: Interval[];
  series: number;
  sites: string[];
  currency: string | null;
  notes: string[];
  quality: InputQuality;
};

export async function loadStudyData(tenantId: string, spec: StudySpec): Promise<LoadedData> {
  const from = new Date(spec.baseline.from);
  const to = new Date(spec.reporting.to);
  const signals = boundarySignalsOf(spec);
  const rules = inputRules(spec);
  const checked = [...new Set([...signals, "it_load_kw"])];
  const { seriesRows, hours, present, runs, sources } = await readStudyRows(
    tenantId,
    spec,
    { from, to },
    signals,
    checked,
    rules.staleAfterSeconds,
  );
  // A boundary signal the scope's data lacks entirely: refused, naming it (not "no complete interval").
  const counts = present[0]!;
  const absent = signals.filter((c) => (counts.rows ?? 0) > 0 && counts[c] === 0);
  if (absent.length > 0) {
    throw new MvError(
      "missing_signal",
      `the scope's data has no ${absent.join(" or ")} value${spec.boundary === "cooling" ? `: name the cooling sub-meters the site has (boundarySignals, e.g. ["${signals.find((c) => !absent.includes(c)) ?? "chiller_kw"}"])` : ""}`,
    );
  }
  const flags: QualityFlag[] = runs.map((r) => ({
    kind: "stale",
    column: r.column,
    siteId: r.site_id,
    facilityId: r.facility_id,
    clusterId: r.cluster_id,
    zoneId: r.zone_id,
    from: r.first_start.toISOString(),
    to: r.last_end.toISOString(),
    hours: hoursTouched(r.first_start.getTime(), r.last_end.getTime()).length,
    value: r.value,
  }));
  const flagged = new Set<number>();
  if (!rules.includeFlagged)
    for (const r of runs) for (const h of hoursTouched(r.first_start.getTime(), r.last_end.getTime())) flagged.add(h);
  const sites = [...new Set(seriesRows.map((r) => r.site_id))].sort();
  const seriesCount = seriesRows.length;
  const notes: string[] = [];
  if (sites.length > 1 && spec.model.kind !== "mean" && spec.model.kind !== "ols_it") {
    notes.push(
      `The scope spans ${sites.length} sites (${sites.join(", ")}): the outdoor temperature is the average over their series' rows (a site with more series weighs more). Scope a weather model to one site for a sound result.`,
    );
  }
  const currencies = new Set(
    seriesRows.flatMap((s) => [s.currency_min, s.currency_max]).filter((c): c is string => c !== null),
  );

  // Price and carbon weighted by the boundary's energy or the facility's (spec.conventions.priceWeighting).
  const byBoundary = resolveConventions(spec).priceWeighting === "boundary_energy";
  // Complete hours only: all series present for the whole hour with every needed value.
  const complete: Interval[] = [];
  // Flagged hours count as lost coverage (like incomplete ones); those between the periods do not matter.
  let flaggedHours = 0;
  const inPeriods = (t: number) =>
    t < new Date(spec.baseline.to).getTime() || t >= new Date(spec.reporting.from).getTime();
  for (const h of hours) {
    if (flagged.has(h.hour_ms)) {
      if (inPeriods(h.hour_ms)) flaggedHours++;
      continue;
    }
    const full =
      seriesCount > 0 && Math.abs(h.hours - seriesCount) < 1e-6 && h.energy_n === h.rows && h.energy_kwh !== null;
    if (!full) continue;
    complete.push({
      startMs: h.hour_ms,
      energyKwh: h.energy_kwh!,
      itKwh: h.it_n === h.rows ? h.it_kwh : null,
      facilityKwh: h.facility_n === h.rows ? h.facility_kwh : null,
      hourlyTempsC: h.temp_n > 0 && h.temp_c !== null ? [h.temp_c] : [],
      pricePerKwh: byBoundary ? h.price_boundary : h.price,
      carbonGPerKwh: byBoundary ? h.carbon_boundary : h.carbon,
    });
  }
  const intervals = spec.granularity === "daily" ? toDays(complete, byBoundary, rules.minHoursPerDay) : complete;
  const split = new Date(spec.reporting.from).getTime();
  const baselineEnd = new Date(spec.baseline.to).getTime();
  return {
    baseline: intervals.filter((iv) => iv.startMs < baselineEnd),
    reporting: intervals.filter((iv) => iv.startMs >= split),
    series: seriesCount,
    sites,
    currency: currencies.size === 1 ? [...currencies][0]! : currencies.size > 1 ? "mixed" : null,
    notes,
    quality: {
      rule: { staleAfterSeconds: rules.staleAfterSeconds, includeFlagged: rules.includeFlagged, columns: checked },
      flags: flags.slice(0, MAX_LISTED_FLAGS),
      flagCount: flags.length,
      flaggedHours,
      sources: sources.map((v) => ({
        dataset: v.dataset,
        version: v.version,
        duplicates: v.duplicates,
        rejected: v.rejected,
        outOfRange: v.out_of_range ?? {},
      })),
    },
  };
}

/**
 * Whole UTC days with at least `minHours` complete hours (CalTRACK 2.0 §2.2.2.1); fewer are left out.
 * A day's energies are the sums of its hours scaled to 24 h (× 24 / hours present), its temperatures
 * those of the hours present; price and carbon are weighted by the hours' boundary energy when
 * `byBoundary`, else by their facility energy.
 */
export function toDays(hours: Interval[], byBoundary = false, minHours = 24): Interval[] {
  const days: Interval[] = [];
  let i = 0;
  while (i < hours.length) {
    const day = hours[i]!.startMs - (hours[i]!.startMs % DAY_MS);
    const group: Interval[] = [];
    while (i < hours.length && hours[i]!.startMs - (hours[i]!.startMs % DAY_MS) === day) group.push(hours[i++]!);
    if (group.length < minHours || group.length > 24) continue;
    const scale = 24 / group.length;
    const sumOf = (f: (h: Interval) => number | null) =>
      group.every((h) => f(h) !== null) ? group.reduce((s, h) => s + f(h)!, 0) : null;
    const facility = sumOf((h) => h.facilityKwh);
    const weighted = (f: (h: Interval) => number | null) => {
      if (facility === null || facility === 0 || group.some((h) => f(h) === null)) return null;
      return group.reduce((s, h) => s + f(h)! * h.facilityKwh!, 0) / facility;
    };
    const it = sumOf((h) => h.itKwh);
    const energy = group.reduce((s, h) => s + h.energyKwh, 0);
    // By boundary energy; a day without any (the plant off all day) takes the hours' plain mean.
    const byEnergy = (f: (h: Interval) => number | null) => {
      if (group.some((h) => f(h) === null)) return null;
      return energy !== 0
        ? group.reduce((s, h) => s + f(h)! * h.energyKwh, 0) / energy
        : group.reduce((s, h) => s + f(h)!, 0) / group.length;
    };
    days.push({
      startMs: day,
      // A whole day keeps its plain sums (bit for bit as before).
      energyKwh: group.length === 24 ? energy : energy * scale,
      itKwh: it === null || group.length === 24 ? it : it * scale,
      facilityKwh: facility === null || group.length === 24 ? facility : facility * scale,
      hourlyTempsC: group.every((h) => h.hourlyTempsC.length > 0) ? group.map((h) => h.hourlyTempsC[0]!) : [],
      ...(group.every((h) => h.itKwh !== null) ? { hourlyItKwh: group.map((h) => h.itKwh!) } : {}),
      pricePerKwh: byBoundary ? byEnergy((h) => h.pricePerKwh) : weighted((h) => h.pricePerKwh),
      carbonGPerKwh: byBoundary ? byEnergy((h) => h.carbonGPerKwh) : weighted((h) => h.carbonGPerKwh),
      hoursPresent: group.length,
    });
  }
  return days;
}
