// What a study revision fixes: scope, boundary, data source, periods, granularity, model and
// assumptions. Stored whole with each revision; a report reproduces from it and the immutable data.
import { z } from "zod";
import { isoInstant } from "@/lib/http/iso-instant";

const Id = z.string().trim().min(1).max(64);
const Instant = isoInstant();
const Reason = z.string().trim().min(1).max(500);

export const PeriodSchema = z
  .object({ from: Instant, to: Instant })
  .refine((p) => p.to > p.from, { message: "must end after it starts", path: ["to"] });

const Fraction = z.number().min(0).max(1);

export const AssumptionsSchema = z.object({
  energyPrice: z
    .discriminatedUnion("source", [
      z.object({ source: z.literal("data") }),
      z.object({ source: z.literal("fixed"), perKwh: z.number().min(0).max(10), currency: z.string().trim().regex(/^[A-Z]{3}$/) }),
    ])
    .default({ source: "data" }),
  carbonIntensity: z
    .discriminatedUnion("source", [z.object({ source: z.literal("data") }), z.object({ source: z.literal("fixed"), gPerKwh: z.number().min(0).max(2000) })])
    .default({ source: "data" }),
  exclusions: z.array(z.object({ from: Instant, to: Instant, reason: Reason })).max(100).default([]),
  adjustments: z.array(z.object({ at: Instant, kwh: z.number().min(-1e12).max(1e12), reason: Reason })).max(100).default([]),
  sufficiency: z
    .object({
      /** Share of expected intervals that must be complete, per period (CalTRACK 2.0 §2.2: 90 %). */
      minCoverage: Fraction.default(0.9),
      minBaselineDays: z.number().int().min(1).max(3660).default(28),
      minReportingDays: z.number().int().min(1).max(3660).default(7),
    })
    .prefault({}),
  acceptance: z
    .object({
      /** Defaults for hourly and daily data: ASHRAE Guideline 14-2014 §4.3.2.4 (hourly: 30 %, 10 %). */
      maxCvRmse: Fraction.optional(),
      maxAbsNmbe: Fraction.optional(),
      /** Savings uncertainty at 68 % confidence below this share of the savings (G14 §4.3.1). */
      maxFractionalUncertainty68: z.number().min(0).max(10).default(0.5),
    })
    .prefault({}),
});

export const ModelSpecSchema = z.object({
  kind: z.enum(["mean", "ols_it", "ols_it_cdd", "towt", "dc_lift", "auto"]),
  balancePointC: z.number().min(-20).max(40).nullable().optional(),
  balancePointGridC: z
    .object({ fromC: z.number().min(-20).max(40), toC: z.number().min(-20).max(40), stepC: z.number().min(0.1).max(10) })
    .refine((g) => g.toC >= g.fromC && (g.toC - g.fromC) / g.stepC <= 200, { message: "from ≤ to, at most 200 steps" })
    .optional(),
  towtKnotsC: z.array(z.number().min(-40).max(60)).max(10).optional(),
  towtIncludeIt: z.boolean().optional(),
});

export const StudySpecSchema = z
  .object({
    scope: z.object({ siteId: Id.optional(), facilityId: Id.optional(), clusterId: Id.optional(), zoneId: Id.optional() }).default({}),
    /** Option C: the facility meter; Option B: the cooling system (chiller + fans). */
    boundary: z.enum(["facility", "cooling"]),
    source: z
      .object({
        datasetVersionIds: z.array(z.uuid()).max(50).default([]),
        /** MASS observations received up to this instant; null: none. */
        massUntil: Instant.nullable().default(null),
      })
      .refine((s) => s.datasetVersionIds.length > 0 || s.massUntil !== null, { message: "name at least one dataset version or a MASS cut-off" }),
    baseline: PeriodSchema,
    reporting: PeriodSchema,
    granularity: z.enum(["hourly", "daily"]),
    model: ModelSpecSchema,
    assumptions: AssumptionsSchema.prefault({}),
  })
  .superRefine((s, ctx) => {
    if (s.reporting.from < s.baseline.to) ctx.addIssue({ code: "custom", path: ["reporting", "from"], message: "the reporting period must start when or after the baseline ends" });
    if (s.model.kind === "towt" && s.granularity !== "hourly") ctx.addIssue({ code: "custom", path: ["model", "kind"], message: "TOWT needs hourly granularity" });
    if (s.model.kind === "auto" && s.model.balancePointC != null) ctx.addIssue({ code: "custom", path: ["model", "balancePointC"], message: "auto searches the balance point of each candidate: leave it empty, or name a model" });
    const span = (p: { from: string; to: string }) => new Date(p.to).getTime() - new Date(p.from).getTime();
    if (span(s.baseline) > 3 * 366 * 86_400_000) ctx.addIssue({ code: "custom", path: ["baseline", "to"], message: "a baseline is at most 3 years" });
    if (span(s.reporting) > 3 * 366 * 86_400_000) ctx.addIssue({ code: "custom", path: ["reporting", "to"], message: "a reporting period is at most 3 years" });
    // Exclusions remove baseline intervals (e.g. a chiller overhaul); the reporting period is never
    // trimmed: what happened after the change is what the savings are.
    s.assumptions.exclusions.forEach((e, i) => {
      if (e.to <= e.from) ctx.addIssue({ code: "custom", path: ["assumptions", "exclusions", i, "to"], message: "must be after from" });
      if (e.from < s.baseline.from || e.to > s.baseline.to) ctx.addIssue({ code: "custom", path: ["assumptions", "exclusions", i], message: "an exclusion must lie within the baseline period" });
    });
    s.assumptions.adjustments.forEach((x, i) => {
      if (x.at < s.reporting.from || x.at >= s.reporting.to) ctx.addIssue({ code: "custom", path: ["assumptions", "adjustments", i, "at"], message: "a non-routine adjustment must fall within the reporting period" });
    });
    const dayAligned = (iso: string) => new Date(iso).getTime() % 86_400_000 === 0;
    const hourAligned = (iso: string) => new Date(iso).getTime() % 3_600_000 === 0;
    const aligned = s.granularity === "daily" ? dayAligned : hourAligned;
    for (const key of ["baseline", "reporting"] as const) {
      for (const end of ["from", "to"] as const) {
        if (!aligned(s[key][end])) ctx.addIssue({ code: "custom", path: [key, end], message: `must fall on a whole ${s.granularity === "daily" ? "UTC day" : "hour"}` });
      }
    }
  });

export type StudySpec = z.output<typeof StudySpecSchema>;
export type StudySpecInput = z.input<typeof StudySpecSchema>;
export type Assumptions = StudySpec["assumptions"];

/** Defaults: ASHRAE Guideline 14's hourly limits (CV(RMSE) 30 %, |NMBE| 10 %; monthly data would get the
 *  stricter 15 % / 5 %); daily data is held to the hourly pair, the looser one, as no daily pair is given. */
export function acceptanceThresholds(spec: StudySpec): { maxCvRmse: number; maxAbsNmbe: number; maxFractionalUncertainty68: number } {
  const a = spec.assumptions.acceptance;
  return { maxCvRmse: a.maxCvRmse ?? 0.3, maxAbsNmbe: a.maxAbsNmbe ?? 0.1, maxFractionalUncertainty68: a.maxFractionalUncertainty68 };
}
