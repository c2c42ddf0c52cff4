// The study form's fields → the API's create/revise input. Dates are whole UTC days; lines of the
// exclusion and adjustment boxes are "from, to, reason" and "date, kWh, reason". Validation itself
// stays with the zod schemas, so the form and the API refuse the same things the same way.
import {
  AssumptionsSchema,
  COOLING_SIGNALS,
  DEFAULT_CONVENTIONS,
  resolveConventions,
  type Conventions,
  type StudySpecInput,
} from "./spec";

const text = (form: FormData, key: string) => String(form.get(key) ?? "").trim();
const optional = (form: FormData, key: string) => text(form, key) || undefined;
const day = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
/** A datetime-local value (no zone) is read as UTC. */
const instant = (value: string) =>
  /([zZ]|[+-]\d\d:\d\d)$/.test(value) ? value : /T\d\d:\d\d$/.test(value) ? `${value}:00Z` : `${value}Z`;
const num = (value: string) => (value === "" ? undefined : Number(value));
const share = (value: string) => (value === "" ? undefined : Number(value) / 100);

function lines(value: string): string[][] {
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [a = "", b = "", ...rest] = l.split(",");
      return [a.trim(), b.trim(), rest.join(",").trim()];
    });
}

/** The form's "Advanced" conventions; none sent: no block (a new study gets the defaults, a revision keeps its study's). */
function conventionsFromForm(form: FormData): StudySpecInput["conventions"] {
  const conventions = {
    degreeDays: optional(form, "conv_degree_days"),
    autocorrelation: optional(form, "conv_autocorrelation"),
    uncertaintyDf: optional(form, "conv_uncertainty_df"),
    priceWeighting: optional(form, "conv_price_weighting"),
  };
  return Object.values(conventions).some((v) => v !== undefined)
    ? (conventions as StudySpecInput["conventions"])
    : undefined;
}

export function studySpecFromForm(form: FormData): StudySpecInput {
  const priceSource = text(form, "price_source") === "fixed" ? "fixed" : "data";
  const carbonSource = text(form, "carbon_source") === "fixed" ? "fixed" : "data";
  const massUntil = text(form, "mass_until");
  return {
    scope: {
      siteId: optional(form, "site_id"),
      facilityId: optional(form, "facility_id"),
      clusterId: optional(form, "cluster_id"),
      zoneId: optional(form, "zone_id"),
    },
    boundary: text(form, "boundary") as StudySpecInput["boundary"],
    boundarySignals: boundarySignals(form),
    source: {
      datasetVersionIds: form.getAll("dataset_version_ids").map(String).filter(Boolean),
      massUntil: massUntil ? instant(massUntil) : null,
    },
    baseline: { from: day(text(form, "baseline_from")), to: day(text(form, "baseline_to")) },
    reporting: { from: day(text(form, "reporting_from")), to: day(text(form, "reporting_to")) },
    granularity: text(form, "granularity") as StudySpecInput["granularity"],
    model: {
      kind: text(form, "model") as StudySpecInput["model"]["kind"],
      balancePointC: num(text(form, "balance_point_c")) ?? null,
      towtIncludeIt: form.get("towt_include_it") === null ? undefined : text(form, "towt_include_it") === "on",
    },
    assumptions: {
      energyPrice:
        priceSource === "fixed"
          ? {
              source: "fixed",
              perKwh: Number(text(form, "price_per_kwh")),
              currency: text(form, "currency").toUpperCase(),
            }
          : { source: "data" },
      carbonIntensity:
        carbonSource === "fixed"
          ? { source: "fixed", gPerKwh: Number(text(form, "carbon_g_per_kwh")) }
          : { source: "data" },
      exclusions: lines(text(form, "exclusions")).map(([from, to, reason]) => ({
        from: day(from!),
        to: day(to!),
        reason: reason!,
      })),
      adjustments: lines(text(form, "adjustments")).map(([at, kwh, reason]) => ({
        at: day(at!),
        kwh: Number(kwh),
        reason: reason!,
      })),
      sufficiency: {
        minCoverage: share(text(form, "min_coverage_pct")),
        minHoursPerDay: num(text(form, "min_hours_per_day")),
      },
      dataQuality: form.get("include_flagged") === null ? undefined : { includeFlagged: true },
      acceptance: {
        maxCvRmse: share(text(form, "max_cv_rmse_pct")),
        maxAbsNmbe: share(text(form, "max_abs_nmbe_pct")),
        maxFractionalUncertainty68: share(text(form, "max_fsu_pct")),
      },
    },
    conventions: conventionsFromForm(form),
  };
}

/** The cooling sub-meters ticked (Option B only); the full default pair is left unset, as older studies have it. */
function boundarySignals(form: FormData): StudySpecInput["boundarySignals"] {
  if (text(form, "boundary") !== "cooling" || form.get("boundary_signals_shown") === null) return undefined;
  const ticked = form.getAll("boundary_signals").map(String);
  const signals = COOLING_SIGNALS.filter((c) => ticked.includes(c));
  return signals.length === COOLING_SIGNALS.length ? undefined : signals;
}

export type StudyFormDefaults = {
  name: string;
  tenantId: string;
  siteId: string;
  facilityId: string;
  clusterId: string;
  zoneId: string;
  boundary: "facility" | "cooling";
  boundarySignals: string[];
  datasetVersionIds: string[];
  massUntil: string;
  baselineFrom: string;
  baselineTo: string;
  reportingFrom: string;
  reportingTo: string;
  granularity: "hourly" | "daily";
  model: "mean" | "ols_it" | "ols_it_cdd" | "towt" | "dc_lift" | "auto";
  balancePointC: string;
  priceSource: "data" | "fixed";
  pricePerKwh: string;
  currency: string;
  carbonSource: "data" | "fixed";
  carbonGPerKwh: string;
  exclusions: string;
  adjustments: string;
  minCoveragePct: string;
  minHoursPerDay: string;
  includeFlagged: boolean;
  maxCvRmsePct: string;
  maxAbsNmbePct: string;
  maxFsuPct: string;
  /** Preselected in the form's "Advanced" section: the defaults for a new study, the current revision's (or the legacy ones) for a revision. */
  conventions: Conventions;
};

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const pctText = (v: number | undefined) => (v === undefined ? "" : String(Math.round(v * 1000) / 10));

/** A new study's form: around an event (the before/after page's link) or the last 28 + 28 days of data. */
export function newStudyDefaults(q: {
  tenantId: string;
  siteId?: string;
  clusterId?: string;
  eventMs?: number;
  days?: number;
  versionIds: string[];
  dataEndMs?: number;
}): StudyFormDefaults {
  const days = Math.min(365, Math.max(7, q.days ?? 28));
  const event =
    q.eventMs !== undefined
      ? q.eventMs - (q.eventMs % DAY_MS)
      : (q.dataEndMs ?? Date.now()) - ((q.dataEndMs ?? Date.now()) % DAY_MS) - days * DAY_MS;
  return {
    name: q.eventMs !== undefined ? `Change of ${isoDay(q.eventMs)}${q.siteId ? `, ${q.siteId}` : ""}` : "",
    tenantId: q.tenantId,
    siteId: q.siteId ?? "",
    facilityId: "",
    clusterId: q.clusterId ?? "",
    zoneId: "",
    boundary: "cooling",
    boundarySignals: [...COOLING_SIGNALS],
    datasetVersionIds: q.versionIds,
    massUntil: "",
    baselineFrom: isoDay(event - days * DAY_MS),
    baselineTo: isoDay(event),
    reportingFrom: isoDay(event),
    reportingTo: isoDay(event + days * DAY_MS),
    granularity: "daily",
    model: "auto",
    balancePointC: "",
    priceSource: "data",
    pricePerKwh: "",
    currency: "",
    carbonSource: "data",
    carbonGPerKwh: "",
    exclusions: "",
    adjustments: "",
    minCoveragePct: "",
    minHoursPerDay: "",
    includeFlagged: false,
    maxCvRmsePct: "",
    maxAbsNmbePct: "",
    maxFsuPct: "",
    conventions: DEFAULT_CONVENTIONS,
  };
}

/** A revision's form: the current specification. */
export function specDefaults(name: string, tenantId: string, spec: import("./spec").StudySpec): StudyFormDefaults {
  const a = spec.assumptions;
  return {
    name,
    tenantId,
    siteId: spec.scope.siteId ?? "",
    facilityId: spec.scope.facilityId ?? "",
    clusterId: spec.scope.clusterId ?? "",
    zoneId: spec.scope.zoneId ?? "",
    boundary: spec.boundary,
    boundarySignals: [...(spec.boundarySignals ?? COOLING_SIGNALS)],
    datasetVersionIds: spec.source.datasetVersionIds,
    massUntil: spec.source.massUntil ? spec.source.massUntil.slice(0, 16) : "",
    baselineFrom: spec.baseline.from.slice(0, 10),
    baselineTo: spec.baseline.to.slice(0, 10),
    reportingFrom: spec.reporting.from.slice(0, 10),
    reportingTo: spec.reporting.to.slice(0, 10),
    granularity: spec.granularity,
    model: spec.model.kind,
    balancePointC: spec.model.balancePointC == null ? "" : String(spec.model.balancePointC),
    priceSource: a.energyPrice.source,
    pricePerKwh: a.energyPrice.source === "fixed" ? String(a.energyPrice.perKwh) : "",
    currency: a.energyPrice.source === "fixed" ? a.energyPrice.currency : "",
    carbonSource: a.carbonIntensity.source,
    carbonGPerKwh: a.carbonIntensity.source === "fixed" ? String(a.carbonIntensity.gPerKwh) : "",
    exclusions: a.exclusions.map((e) => `${e.from.slice(0, 10)}, ${e.to.slice(0, 10)}, ${e.reason}`).join("\n"),
    adjustments: a.adjustments.map((x) => `${x.at.slice(0, 10)}, ${x.kwh}, ${x.reason}`).join("\n"),
    minCoveragePct: pctText(a.sufficiency.minCoverage),
    minHoursPerDay: a.sufficiency.minHoursPerDay === undefined ? "" : String(a.sufficiency.minHoursPerDay),
    includeFlagged: a.dataQuality?.includeFlagged ?? false,
    maxCvRmsePct: pctText(a.acceptance.maxCvRmse),
    maxAbsNmbePct: pctText(a.acceptance.maxAbsNmbe),
    maxFsuPct: pctText(a.acceptance.maxFractionalUncertainty68),
    conventions: resolveConventions(spec),
  };
}

/** The data-sufficiency rule a study gets unless it sets its own (lib/mv/spec.ts's defaults). */
export const DEFAULT_SUFFICIENCY = AssumptionsSchema.parse({}).sufficiency;

/** "needs ≥ 28 days of data in the baseline and ≥ 7 in the reporting period, ≥ 90 % of intervals present". */
export function sufficiencyText(s: { minBaselineDays: number; minReportingDays: number; minCoverage: number }): string {
  return `needs ≥ ${s.minBaselineDays} days of complete data in the baseline and ≥ ${s.minReportingDays} in the reporting period, with ≥ ${Math.round(s.minCoverage * 1000) / 10} % of the period's intervals present`;
}

/**
 * Periods (whole UTC days, `YYYY-MM-DD`) widened so the default sufficiency rule can pass: the
 * baseline reaches back far enough for its minimum days with the tolerated share missing
 * (⌈min days ÷ min coverage⌉), the reporting period forward likewise, neither beyond the data
 * (`dataStartMs`, `dataEndMs`) nor across the event (the baseline ends and the reporting starts
 * where they did). Periods already long enough are kept. Pure.
 */
export function sufficientPeriods(
  p: { baselineFrom: string; baselineTo: string; reportingFrom: string; reportingTo: string },
  data: { startMs?: number; endMs?: number },
  rule: { minBaselineDays: number; minReportingDays: number; minCoverage: number } = DEFAULT_SUFFICIENCY,
): { baselineFrom: string; baselineTo: string; reportingFrom: string; reportingTo: string } {
  const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const needBaseline = Math.ceil(rule.minBaselineDays / rule.minCoverage) * DAY_MS;
  const needReporting = Math.ceil(rule.minReportingDays / rule.minCoverage) * DAY_MS;
  const dataStart = data.startMs === undefined ? -Infinity : Math.ceil(data.startMs / DAY_MS) * DAY_MS;
  const dataEnd = data.endMs === undefined ? Infinity : Math.floor(data.endMs / DAY_MS) * DAY_MS;
  const baselineTo = ms(p.baselineTo);
  const reportingFrom = ms(p.reportingFrom);
  const baselineFrom = Math.min(ms(p.baselineFrom), Math.max(dataStart, baselineTo - needBaseline));
  const reportingTo = Math.max(ms(p.reportingTo), Math.min(dataEnd, reportingFrom + needReporting));
  return {
    baselineFrom: isoDay(baselineFrom),
    baselineTo: p.baselineTo,
    reportingFrom: p.reportingFrom,
    reportingTo: isoDay(reportingTo),
  };
}
