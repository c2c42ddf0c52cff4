// The KPI and trend API answers, as zod schemas (fed to the OpenAPI document) and serializers.
import { z } from "zod";
import { compareKpi, type KpiKey } from "./compare";
import type { Kpis } from "./kpis";
import type { Overview } from "./overview";
import type { TrendPoint } from "./trends";

const num = z.number().nullable();

export const KpisSchema = z
  .object({
    pue: num.meta({ description: "Σ facility kWh / Σ IT kWh over intervals with both (ISO/IEC 30134-2)" }),
    facility_kwh: num,
    it_kwh: num,
    cooling_kwh: num.meta({ description: "chiller + fans" }),
    cooling_share: num.meta({ description: "cooling kWh / facility kWh, 0–1" }),
    cost: num,
    currency: z.string().nullable().meta({ description: "The data's currency; `mixed` when several" }),
    co2e_kg: num,
    avg_inlet_c: num,
    p95_inlet_c: num.meta({ description: "95th percentile of p95 rack inlet in the worst zone" }),
    p95_inlet_worst_zone: z.string().nullable(),
    hotspot_hours: num.meta({ description: "series-hours with a rack above 27 °C" }),
    coverage: num.meta({ description: "observations present / expected from each series' interval, 0–1" }),
    rows: z.number().int(),
    series: z.number().int(),
  })
  .meta({ id: "Kpis" });

const PeriodSchema = z.object({ from: z.string(), to: z.string() });

export const OverviewSchema = z
  .object({
    period: PeriodSchema,
    previous_period: PeriodSchema,
    data_end: z.string().nullable().meta({ description: "The latest observation end in scope" }),
    kpis: KpisSchema,
    previous: KpisSchema,
    change: z.record(z.string(), num).meta({
      description:
        "Relative change of each KPI vs the previous period (0.05 = +5 %), only where a % change is meaningful and the periods comparable (see `comparison`); null otherwise",
    }),
    comparison: z
      .record(
        z.string(),
        z.object({
          kind: z.enum(["relative", "absolute", "none"]),
          delta: num.meta({
            description:
              "relative: a fraction; absolute: in `unit` (K for temperatures, pp for coverage, h for hotspot-hours)",
          }),
          unit: z.string().nullable(),
          tone: z.enum(["good", "bad", "neutral"]),
          text: z.string().meta({ description: "The change in words, or why there is none" }),
          value_reason: z.string().nullable().meta({ description: "Why the current value is missing, when it is" }),
        }),
      )
      .meta({
        description:
          "Each KPI against the previous period, by the rules of the M&V/dashboard docs: sums compared only when coverages are within 5 points, ratios and averages when both are at least 50 % covered",
      }),
    overlaps: z
      .object({
        asset_hours: z.number().int().meta({
          description:
            "Asset-hours of the period (an hour it touches counts whole) that more than one source holds; each counted once, from its winner",
        }),
        sources: z.array(
          z.object({
            dataset_version_id: z.string().nullable().meta({ description: "null: live MASS readings" }),
            label: z.string(),
            tenant_id: z.string(),
            won_hours: z.number().int().meta({ description: "Contested asset-hours this source counts for" }),
            lost_hours: z
              .number()
              .int()
              .meta({ description: "Contested asset-hours whose rows of this source are left out" }),
          }),
        ),
      })
      .meta({
        description:
          "Where sources overlapped, which one the KPIs count (README: one value per series and interval — the latest upload wins, datasets above MASS)",
      }),
  })
  .meta({ id: "KpiOverview" });

export const TrendsSchema = z
  .object({
    period: PeriodSchema,
    bucket_seconds: z.number().int().meta({
      description:
        "Bucket length; buckets start on UTC hour boundaries (steps up to a day) or UTC midnights (longer steps)",
    }),
    points: z.array(
      z.object({
        t: z.string().meta({
          description:
            "Bucket start (UTC); the first may lie before the period's start, and its values cover only the part inside the period",
        }),
        facility_kw: num.meta({
          description: "Average facility power: the bucket's energy over the part of the bucket inside the period",
        }),
        it_kw: num,
        pue: num,
        p95_inlet_c: num,
        p95_inlet_max_c: num,
        cost: num,
        carbon_intensity: num,
      }),
    ),
  })
  .meta({ id: "KpiTrends" });

export function serializeKpis(k: Kpis): z.infer<typeof KpisSchema> {
  return {
    pue: k.pue,
    facility_kwh: k.facilityKwh,
    it_kwh: k.itKwh,
    cooling_kwh: k.coolingKwh,
    cooling_share: k.coolingShare,
    cost: k.cost,
    currency: k.currency,
    co2e_kg: k.co2eKg,
    avg_inlet_c: k.avgInletC,
    p95_inlet_c: k.p95InletC,
    p95_inlet_worst_zone: k.p95InletWorst,
    hotspot_hours: k.hotspotHours,
    coverage: k.coverage,
    rows: k.rows,
    series: k.series,
  };
}

const KPI_FIELDS: Record<KpiKey, string> = {
  pue: "pue",
  facility: "facility_kwh",
  it: "it_kwh",
  cooling: "cooling_kwh",
  cost: "cost",
  co2e: "co2e_kg",
  inlet: "avg_inlet_c",
  p95: "p95_inlet_c",
  hotspots: "hotspot_hours",
  coverage: "coverage",
};

export function serializeOverview(o: Overview): z.infer<typeof OverviewSchema> {
  const kpis = serializeKpis(o.current);
  const previous = serializeKpis(o.before);
  const change: Record<string, number | null> = {};
  const comparison: z.infer<typeof OverviewSchema>["comparison"] = {};
  for (const [key, field] of Object.entries(KPI_FIELDS) as [KpiKey, string][]) {
    const c = compareKpi(key, o.current, o.before);
    change[field] = c.kind === "relative" ? c.delta : null;
    comparison[field] = {
      kind: c.kind,
      delta: c.delta,
      unit: c.unit,
      tone: c.tone,
      text: c.text,
      value_reason: c.valueReason,
    };
  }
  return {
    period: { from: o.period.from.toISOString(), to: o.period.to.toISOString() },
    previous_period: { from: o.previous.from.toISOString(), to: o.previous.to.toISOString() },
    data_end: o.dataEnd?.toISOString() ?? null,
    kpis,
    previous,
    change,
    comparison,
    overlaps: {
      asset_hours: o.overlaps.assetHours,
      sources: o.overlaps.sources.map((x) => ({
        dataset_version_id: x.datasetVersionId,
        label: x.label,
        tenant_id: x.tenantId,
        won_hours: x.wonHours,
        lost_hours: x.lostHours,
      })),
    },
  };
}

export function serializeTrends(
  period: { from: Date; to: Date },
  bucketSeconds: number,
  points: TrendPoint[],
): z.infer<typeof TrendsSchema> {
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    bucket_seconds: bucketSeconds,
    points: points.map((p) => ({
      t: p.t,
      facility_kw: p.facilityKw,
      it_kw: p.itKw,
      pue: p.pue,
      p95_inlet_c: p.p95InletC,
      p95_inlet_max_c: p.p95InletMaxC,
      cost: p.cost,
      carbon_intensity: p.carbonIntensity,
    })),
  };
}

const ChangeSchema = z.object({
  at: z.string(),
  tenant_id: z.string(),
  site: z.string(),
  from: z.number(),
  to: z.number(),
});

export const ComparisonSchema = z
  .object({
    normalized: z
      .literal(false)
      .meta({ description: "Always false: not normalized for load or weather (use an M&V study)" }),
    scope: z
      .object({
        tenant_id: z.string().nullable(),
        site_id: z.string().nullable(),
        cluster_id: z.string().nullable(),
        zone_id: z.string().nullable(),
      })
      .nullable()
      .meta({
        description:
          "What the KPIs are computed on: around a detected setpoint change with no site chosen, that change's tenant and site; null fields: every one visible",
      }),
    before: PeriodSchema.nullable(),
    after: PeriodSchema.nullable(),
    event: ChangeSchema.nullable(),
    setpoint_changes: z
      .array(ChangeSchema)
      .meta({ description: "Cooling-setpoint changes detected in scope, latest first" }),
    kpis_before: KpisSchema.nullable(),
    kpis_after: KpisSchema.nullable(),
    profile_kind: z.enum(["day", "week"]).nullable(),
    profile: z.array(
      z.object({
        slot: z.number().int(),
        before_facility_kw: num,
        after_facility_kw: num,
        before_pue: num,
        after_pue: num,
      }),
    ),
  })
  .meta({ id: "KpiComparison" });

type ComparisonInput = Awaited<ReturnType<typeof import("./before-after").compare>>;

export function serializeComparison(c: ComparisonInput): z.infer<typeof ComparisonSchema> {
  const changes = c.changes.map((x) => ({
    at: x.at.toISOString(),
    tenant_id: x.tenant,
    site: x.site,
    from: x.from,
    to: x.to,
  }));
  if (c.before === null)
    return {
      normalized: false,
      scope: null,
      before: null,
      after: null,
      event: null,
      setpoint_changes: changes,
      kpis_before: null,
      kpis_after: null,
      profile_kind: null,
      profile: [],
    };
  return {
    normalized: false,
    scope: {
      tenant_id: c.scope.tenantId,
      site_id: c.scope.siteId,
      cluster_id: c.scope.clusterId,
      zone_id: c.scope.zoneId,
    },
    before: { from: c.before.from.toISOString(), to: c.before.to.toISOString() },
    after: { from: c.after.from.toISOString(), to: c.after.to.toISOString() },
    event: c.event
      ? {
          at: c.event.at.toISOString(),
          tenant_id: c.event.tenant,
          site: c.event.site,
          from: c.event.from,
          to: c.event.to,
        }
      : null,
    setpoint_changes: changes,
    kpis_before: serializeKpis(c.kpisBefore),
    kpis_after: serializeKpis(c.kpisAfter),
    profile_kind: c.profileKind,
    profile: c.profile.map((p) => ({
      slot: p.slot,
      before_facility_kw: p.beforeFacilityKw,
      after_facility_kw: p.afterFacilityKw,
      before_pue: p.beforePue,
      after_pue: p.afterPue,
    })),
  };
}
