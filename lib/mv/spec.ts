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

/** The observation columns that are cooling sub-meters (kW), which an Option B boundary may sum. */
export const COOLING_SIGNALS = ["chiller_kw", "fan_power_kw"] as const;
export type CoolingSignal = (typeof COOLING_SIGNALS)[number];
/** CalTRACK 2.0 §2.2.2.1: a day summed from hourly data may miss up to half its hours. */
export const DEFAULT_MIN_HOURS_PER_DAY = 12;
/** The dataset loader's default staleness threshold (DATASET_MAX_STALENESS_SECONDS, lib/env.ts). */
export const DEFAULT_STALE_AFTER_SECONDS = 7200;

export const AssumptionsSchema = z.object({
  energyPrice: z
    .discriminatedUnion("source", [
      z.object({ source: z.literal("data") }),
      z.object({
        source: z.literal("fixed"),
        perKwh: z.number().min(0).max(10),
        currency: z
          .string()
          .trim()
          .regex(/^[A-Z]{3}$/),
      }),
    ])
    .default({ source: "data" }),
  carbonIntensity: z
    .discriminatedUnion("source", [
      z.object({ source: z.literal("data") }),
      z.object({ source: z.literal("fixed"), gPerKwh: z.number().min(0).max(2000) }),
    ])
    .default({ source: "data" }),
  exclusions: z
    .array(z.object({ from: Instant, to: Instant, reason: Reason }))
    .max(100)
    .default([]),
  adjustments: z
    .array(z.object({ at: Instant, kwh: z.number().min(-1e12).max(1e12), reason: Reason }))
    .max(100)
    .default([]),
  sufficiency: z
    .object({
      /** Share of expected intervals that must be complete, per period (CalTRACK 2.0 §2.2: 90 %). */
      minCoverage: Fraction.default(0.9),
      minBaselineDays: z.number().int().min(1).max(3660).default(28),
      minReportingDays: z.number().int().min(1).max(3660).default(7),
      /** Daily studies: a day counts with at least this many complete hours, its energy scaled to 24 h
       *  (CalTRACK 2.0 §2.2.2.1: no more than 50 % of the hours missing). Unset: `DEFAULT_MIN_HOURS_PER_DAY`. */
      minHoursPerDay: z.number().int().min(1).max(24).optional(),
    })
    .prefault({}),
  /** Hours flagged by data quality (stale runs) are left out unless `includeFlagged`; unset: the defaults below. */
  dataQuality: z
    .object({
      includeFlagged: z.boolean().optional(),
      /** A measured value unchanged for longer than this is a stale run (default `DEFAULT_STALE_AFTER_SECONDS`). */
      staleAfterSeconds: z
        .number()
        .int()
        .min(60)
        .max(31 * 86_400)
        .optional(),
    })
    .optional(),
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
    .object({
      fromC: z.number().min(-20).max(40),
      toC: z.number().min(-20).max(40),
      stepC: z.number().min(0.1).max(10),
    })
    .refine((g) => g.toC >= g.fromC && (g.toC - g.fromC) / g.stepC <= 200, { message: "from ≤ to, at most 200 steps" })
    .optional(),
  towtKnotsC: z.array(z.number().min(-40).max(60)).max(10).optional(),
  towtIncludeIt: z.boolean().optional(),
});

/**
 * Conventions a report states because references differ on them (docs/MV-METHOD.md §15). Each field
 * has the default for new studies; a stored revision without the block predates it and keeps the
 * conventions every report used then (LEGACY_CONVENTIONS), so re-running it gives the same numbers.
 */
export const DEGREE_DAYS = ["daily_mean", "hourly"] as const;
export const AUTOCORRELATION = ["consecutive", "adjacent_rows"] as const;
export const UNCERTAINTY_DF = ["n_effective_minus_p", "n_minus_p"] as const;
export const PRICE_WEIGHTING = ["boundary_energy", "facility_energy"] as const;

export const ConventionsSchema = z.object({
  /**
   * Daily cooling degree-days: Σₕ max(0, Tₕ − T_bp)/24 from hourly exceedances (default: a data
   * centre's cooling follows the hour's temperature), or max(0, T̄_day − T_bp) from the daily mean
   * (CalTRACK 2.0, to match tools that follow it). No difference for hourly data.
   */
  degreeDays: z.enum(DEGREE_DAYS).default("hourly"),
  /** Lag-1 autocorrelation over calendar-consecutive residuals only, or over adjacent rows whatever the gap. */
  autocorrelation: z.enum(AUTOCORRELATION).default("consecutive"),
  /** Degrees of freedom of the t quantile of the autocorrelation-corrected savings uncertainty. */
  uncertaintyDf: z.enum(UNCERTAINTY_DF).default("n_effective_minus_p"),
  /** Weights of the per-interval price and carbon intensity from the data: the boundary's energy, or the facility's. */
  priceWeighting: z.enum(PRICE_WEIGHTING).default("boundary_energy"),
});
export type Conventions = z.output<typeof ConventionsSchema>;

/** Defaults for a new study (a specification stored without the block gets these, lib/mv/studies.ts). */
export const DEFAULT_CONVENTIONS: Conventions = ConventionsSchema.parse({});
/** What every report computed before conventions were selectable used: a stored revision without the block keeps them. */
export const LEGACY_CONVENTIONS: Conventions = {
  degreeDays: "hourly",
  autocorrelation: "adjacent_rows",
  uncertaintyDf: "n_effective_minus_p",
  priceWeighting: "facility_energy",
};

export const StudySpecSchema = z
  .object({
    scope: z
      .object({ siteId: Id.optional(), facilityId: Id.optional(), clusterId: Id.optional(), zoneId: Id.optional() })
      .default({}),
    /** Option C: the facility meter; Option B: the cooling system (chiller + fans). */
    boundary: z.enum(["facility", "cooling"]),
    /** Option B: the cooling sub-meters summed into the boundary; unset: chiller + fans. */
    boundarySignals: z.array(z.enum(COOLING_SIGNALS)).min(1).max(COOLING_SIGNALS.length).optional(),
    source: z
      .object({
        datasetVersionIds: z.array(z.uuid()).max(50).default([]),
        /** MASS observations received up to this instant; null: none. */
        massUntil: Instant.nullable().default(null),
      })
      .refine((s) => s.datasetVersionIds.length > 0 || s.massUntil !== null, {
        message: "name at least one dataset version or a MASS cut-off",
      }),
    baseline: PeriodSchema,
    reporting: PeriodSchema,
    granularity: z.enum(["hourly", "daily"]),
    model: ModelSpecSchema,
    assumptions: AssumptionsSchema.prefault({}),
    /** Absent: a revision stored before conventions were selectable (LEGACY_CONVENTIONS apply). */
    conventions: ConventionsSchema.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.reporting.from < s.baseline.to)
      ctx.addIssue({
        code: "custom",
        path: ["reporting", "from"],
        message: "the reporting period must start when or after the baseline ends",
      });
    if (s.model.kind === "towt" && s.granularity !== "hourly")
      ctx.addIssue({ code: "custom", path: ["model", "kind"], message: "TOWT needs hourly granularity" });
    if (s.model.kind === "auto" && s.model.balancePointC != null)
      ctx.addIssue({
        code: "custom",
        path: ["model", "balancePointC"],
        message: "auto searches the balance point of each candidate: leave it empty, or name a model",
      });
    const span = (p: { from: string; to: string }) => new Date(p.to).getTime() - new Date(p.from).getTime();
    if (span(s.baseline) > 3 * 366 * 86_400_000)
      ctx.addIssue({ code: "custom", path: ["baseline", "to"], message: "a baseline is at most 3 years" });
    if (span(s.reporting) > 3 * 366 * 86_400_000)
      ctx.addIssue({ code: "custom", path: ["reporting", "to"], message: "a reporting period is at most 3 years" });
    // Exclusions remove baseline intervals (e.g. a chiller overhaul) or reporting intervals (IPMVP
    // non-routine events: a fire drill, a hall shut down for a day); each lies within one period.
    s.assumptions.exclusions.forEach((e, i) => {
      if (e.to <= e.from)
        ctx.addIssue({ code: "custom", path: ["assumptions", "exclusions", i, "to"], message: "must be after from" });
      const within = (p: { from: string; to: string }) => e.from >= p.from && e.to <= p.to;
      if (!within(s.baseline) && !within(s.reporting))
        ctx.addIssue({
          code: "custom",
          path: ["assumptions", "exclusions", i],
          message: "an exclusion must lie within the baseline or the reporting period",
        });
    });
    if (s.boundarySignals !== undefined) {
      if (s.boundary !== "cooling")
        ctx.addIssue({
          code: "custom",
          path: ["boundarySignals"],
          message: "boundary signals name the sub-meters of a cooling (Option B) boundary",
        });
      if (new Set(s.boundarySignals).size !== s.boundarySignals.length)
        ctx.addIssue({ code: "custom", path: ["boundarySignals"], message: "name each signal once" });
    }
    s.assumptions.adjustments.forEach((x, i) => {
      if (x.at < s.reporting.from || x.at >= s.reporting.to)
        ctx.addIssue({
          code: "custom",
          path: ["assumptions", "adjustments", i, "at"],
          message: "a non-routine adjustment must fall within the reporting period",
        });
    });
    const dayAligned = (iso: string) => new Date(iso).getTime() % 86_400_000 === 0;
    const hourAligned = (iso: string) => new Date(iso).getTime() % 3_600_000 === 0;
    const aligned = s.granularity === "daily" ? dayAligned : hourAligned;
    for (const key of ["baseline", "reporting"] as const) {
      for (const end of ["from", "to"] as const) {
        if (!aligned(s[key][end]))
          ctx.addIssue({
            code: "custom",
            path: [key, end],
            message: `must fall on a whole ${s.granularity === "daily" ? "UTC day" : "hour"}`,
          });
      }
    }
  });

export type StudySpec = z.output<typeof StudySpecSchema>;
export type StudySpecInput = z.input<typeof StudySpecSchema>;
export type Assumptions = StudySpec["assumptions"];

/** Defaults: ASHRAE Guideline 14's hourly limits (CV(RMSE) 30 %, |NMBE| 10 %; monthly data would get the
 *  stricter 15 % / 5 %); daily data is held to the hourly pair, the looser one, as no daily pair is given. */
export function acceptanceThresholds(spec: StudySpec): {
  maxCvRmse: number;
  maxAbsNmbe: number;
  maxFractionalUncertainty68: number;
} {
  const a = spec.assumptions.acceptance;
  return {
    maxCvRmse: a.maxCvRmse ?? 0.3,
    maxAbsNmbe: a.maxAbsNmbe ?? 0.1,
    maxFractionalUncertainty68: a.maxFractionalUncertainty68,
  };
}

/** The conventions a specification is computed with: its own, or the legacy ones when it has none. */
export function resolveConventions(spec: Pick<StudySpec, "conventions">): Conventions {
  return spec.conventions ?? LEGACY_CONVENTIONS;
}

/** The power columns summed into the boundary's energy: the facility meter, or the named cooling sub-meters. */
export function boundarySignalsOf(spec: Pick<StudySpec, "boundary" | "boundarySignals">): string[] {
  if (spec.boundary === "facility") return ["facility_power_kw"];
  return [...(spec.boundarySignals ?? COOLING_SIGNALS)];
}

/** The input rules in force: the spec's or the defaults. */
export function inputRules(spec: StudySpec): {
  minHoursPerDay: number;
  staleAfterSeconds: number;
  includeFlagged: boolean;
} {
  const q = spec.assumptions.dataQuality;
  return {
    minHoursPerDay: spec.assumptions.sufficiency.minHoursPerDay ?? DEFAULT_MIN_HOURS_PER_DAY,
    staleAfterSeconds: q?.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS,
    includeFlagged: q?.includeFlagged ?? false,
  };
}
