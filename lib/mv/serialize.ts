// The API's JSON shapes of M&V studies and reports, as zod schemas (fed to the OpenAPI document)
// and the serializers typed against them. The study specification and the results are documents of
// their own, returned as stored.
import { z } from "zod";
import type { ReportDetail, ReportSummary, StudyDetail, StudyListItem } from "./repo";
import { AUTOCORRELATION, DEGREE_DAYS, PRICE_WEIGHTING, StudySpecSchema, UNCERTAINTY_DF } from "./spec";

const by = (type: string, id: string) => `${type}:${id}`;

export const MvReportSummarySchema = z
  .object({
    id: z.uuid(),
    study_id: z.uuid(),
    revision: z.number().int(),
    method_version: z.string(),
    app_version: z.string(),
    git_commit: z.string().nullable(),
    dataset_versions: z.array(
      z.object({ id: z.uuid(), sha256: z.string(), dataset: z.string(), version: z.number().int() }),
    ),
    inputs_hash: z.string().meta({
      description:
        "SHA-256 of the canonical inputs: method version, specification, pinned versions and every interval read",
    }),
    results_hash: z.string().meta({ description: "SHA-256 of `results` exactly as stored" }),
    avoided_kwh: z.number(),
    uncertainty90_kwh: z.number().meta({
      description: "Absolute savings uncertainty at 90 % confidence (ASHRAE Guideline 14: random error only)",
    }),
    calibrated90_kwh: z.number().nullable().meta({
      description:
        "The calibrated 90 % band verdicts use (method mv-2.0, docs/MV-METHOD.md §5.2); null when it could not be calibrated or the report predates it",
    }),
    pass: z.boolean().meta({
      description: "Fit statistics, savings uncertainty and data sufficiency all within the study's thresholds",
    }),
    trace_id: z.string().nullable(),
    created_by: z.string(),
    created_at: z.string(),
  })
  .meta({ id: "MvReportSummary" });

const Check = z.object({ value: z.number().nullable(), threshold: z.number(), pass: z.boolean() });
const Sufficiency = z.object({
  expected: z.number(),
  complete: z.number(),
  excluded: z.number(),
  coverage: z.number(),
  days: z.number(),
  pass: z.boolean(),
  minCoverage: z.number(),
  minDays: z.number(),
});
const Uncertainty = z.object({
  confidence: z.number(),
  df: z.number().optional(),
  t: z.number(),
  absoluteKwh: z.number(),
  fractional: z.number().nullable(),
});
const Conventions = z
  .object({
    degreeDays: z.enum(DEGREE_DAYS),
    autocorrelation: z.enum(AUTOCORRELATION),
    uncertaintyDf: z.enum(UNCERTAINTY_DF),
    priceWeighting: z.enum(PRICE_WEIGHTING),
  })
  .meta({
    description:
      "The conventions the report was computed with (docs/MV-METHOD.md §15); absent in reports made before they were recorded, which used degree-days from hourly exceedances, adjacent-row autocorrelation, t at n′ − p and facility-energy weighting",
  });
const Nullable = z.array(z.number().nullable());
const InputColumns = z.object({
  itKwh: Nullable,
  facilityKwh: Nullable,
  meanTempC: Nullable,
  coolingDegrees: Nullable.nullable(),
  hoursPresent: z.array(z.number()),
});
const ExcludedInterval = z.object({
  period: z.enum(["baseline", "reporting"]),
  t: z.string(),
  reason: z.string(),
  actualKwh: z.number(),
  itKwh: z.number().nullable(),
  facilityKwh: z.number().nullable(),
  meanTempC: z.number().nullable(),
  coolingDegrees: z.number().nullable(),
  hoursPresent: z.number(),
});
const InputQualitySchema = z
  .object({
    rule: z.object({ staleAfterSeconds: z.number(), includeFlagged: z.boolean(), columns: z.array(z.string()) }),
    flags: z.array(
      z.object({
        kind: z.literal("stale"),
        column: z.string(),
        siteId: z.string(),
        facilityId: z.string().nullable(),
        clusterId: z.string().nullable(),
        zoneId: z.string().nullable(),
        from: z.string(),
        to: z.string(),
        hours: z.number().int(),
        value: z.number(),
      }),
    ),
    flagCount: z.number().int(),
    flaggedHours: z.number().int(),
    sources: z.array(
      z.object({
        dataset: z.string(),
        version: z.number().int(),
        duplicates: z.number().int(),
        rejected: z.number().int(),
        outOfRange: z.record(z.string(), z.number()),
      }),
    ),
  })
  .meta({
    description:
      "Data-quality findings in the study's inputs: stale runs (left out unless includeFlagged) and rows the dataset loader dropped",
  });

export const MvResultsSchema = z
  .object({
    methodVersion: z.string(),
    granularity: z.enum(["hourly", "daily"]),
    boundary: z.enum(["facility", "cooling"]),
    conventions: Conventions.optional(),
    model: z.object({
      kind: z.string(),
      coefficients: z.array(
        z.object({
          name: z.string(),
          estimate: z.number(),
          stdError: z.number(),
          tStat: z.number(),
          pValue: z.number(),
        }),
      ),
      balancePointC: z.number().nullable(),
      balancePointSearch: z.array(
        z.object({
          balancePointC: z.number(),
          adjR2: z.number().nullable(),
          coolingSlope: z.number().nullable(),
          qualifies: z.boolean(),
        }),
      ),
      knotsC: z.array(z.number()),
      occupiedHoursOfWeek: z.number().int(),
      notes: z.array(z.string()),
    }),
    dataNotes: z.array(z.string()),
    fit: z.object({
      n: z.number().int(),
      p: z.number().int(),
      r2: z.number(),
      adjR2: z.number(),
      cvRmse: z.number(),
      nmbe: z.number(),
      rmseKwh: z.number(),
      meanKwh: z.number(),
      autocorrelation: z.number(),
      nEffective: z.number(),
    }),
    sufficiency: z.object({ baseline: Sufficiency, reporting: Sufficiency }),
    acceptance: z.object({
      cvRmse: Check,
      nmbe: Check,
      uncertainty68: Check,
      sufficiency: z.boolean(),
      pass: z.boolean(),
    }),
    savings: z.object({
      intervals: z.number().int(),
      actualKwh: z.number(),
      adjustedBaselineKwh: z.number(),
      routineKwh: z.number(),
      nonRoutineKwh: z.number(),
      avoidedKwh: z.number(),
      avoidedPct: z.number().nullable(),
      uncertainty68: Uncertainty,
      uncertainty90: Uncertainty.meta({ description: "ASHRAE Guideline 14's band: the model's random error only" }),
      calibrated90: Uncertainty.extend({
        g14Kwh: z.number(),
        modelFormKwh: z.number(),
        foldBiasKwh: z.number(),
        extrapolationRatio: z.number().nullable(),
        validated: z.boolean(),
        method: z.string(),
      })
        .nullable()
        .optional()
        .meta({
          description:
            "The calibrated 90 % band verdicts use (method mv-2.0; docs/MV-METHOD.md §5.2): Guideline 14's widened by the blocked cross-validation's out-of-sample error; null when it cannot be calibrated",
        }),
      calibrationNote: z.string().nullable().optional(),
      uncertainty68Plain: Uncertainty.optional().meta({
        description:
          "68 % uncertainty without the autocorrelation correction (n for n′, t at n − p); absent in older reports",
      }),
      uncertainty90Plain: Uncertainty.optional().meta({
        description:
          "90 % uncertainty without the autocorrelation correction (n for n′, t at n − p); absent in older reports",
      }),
      avoidedCost: z.number().nullable(),
      currency: z.string().nullable(),
      avoidedCo2eKg: z.number().nullable(),
    }),
    pue: z.object({ baseline: z.number().nullable(), reporting: z.number().nullable() }),
    selection: z
      .object({
        rule: z.string(),
        folds: z.number().int(),
        chosen: z.string(),
        candidates: z.array(
          z.object({
            kind: z.string(),
            balancePointC: z.number().nullable(),
            p: z.number().int().nullable(),
            adjR2: z.number().nullable(),
            cvRmse: z.number().nullable(),
            error: z.string().nullable(),
          }),
        ),
        reason: z.string(),
      })
      .nullable()
      .optional()
      .meta({
        description: "Model auto: every candidate's held-out CV(RMSE) and in-sample adjusted R², which won and why",
      }),
    crossValidation: z
      .object({
        folds: z.number().int(),
        cvRmse: z.number(),
        rmseKwh: z.number(),
        foldMeanErrorKwh: z.array(z.number()),
        foldIntervals: z.array(z.number().int()),
        foldTempShiftC: z.array(z.number().nullable()),
      })
      .nullable()
      .optional(),
    baselineSeries: z.object({
      t: z.array(z.string()),
      actualKwh: z.array(z.number()),
      fittedKwh: z.array(z.number()),
    }),
    reportingSeries: z.object({
      t: z.array(z.string()),
      actualKwh: z.array(z.number()),
      adjustedBaselineKwh: z.array(z.number()),
      savingsKwh: z.array(z.number()),
      cumulativeKwh: z.array(z.number()),
      cumulativeU90Kwh: z.array(z.number()),
      cumulativeCalibrated90Kwh: z.array(z.number()).optional(),
    }),
    // Reports computed before these were recorded lack them.
    inputRules: z
      .object({
        boundarySignals: z.array(z.string()),
        minHoursPerDay: z.number().int(),
        staleAfterSeconds: z.number().int(),
        includeFlagged: z.boolean(),
      })
      .optional()
      .meta({
        description:
          "How observations became intervals: the boundary's power columns, the hours a day needs (scaled to 24 h), the staleness threshold and whether flagged data was kept",
      }),
    inputQuality: InputQualitySchema.nullable().optional(),
    inputs: z.object({ baseline: InputColumns, reporting: InputColumns }).optional().meta({
      description: "Every model input of each interval used, aligned with baselineSeries.t and reportingSeries.t",
    }),
    excludedIntervals: z.array(ExcludedInterval).optional().meta({
      description:
        "Intervals read but left out by the study's dated exclusions (baseline or reporting period), with their inputs",
    }),
  })
  .meta({ id: "MvResults", description: "See docs/MV-METHOD.md for every formula" });

export const MvReportSchema = MvReportSummarySchema.extend({
  study: z.object({ id: z.uuid(), name: z.string(), tenant_id: z.string() }),
  spec: StudySpecSchema,
  results: MvResultsSchema,
}).meta({ id: "MvReport" });

export const MvRevisionSchema = z.object({
  revision: z.number().int(),
  name: z.string(),
  note: z.string().nullable(),
  spec: StudySpecSchema,
  created_by: z.string(),
  created_at: z.string(),
});

export const MvStudySchema = z
  .object({
    id: z.uuid(),
    tenant_id: z.string(),
    name: z.string(),
    current_revision: z.number().int(),
    created_by: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    revisions: z.array(MvRevisionSchema).meta({ description: "Newest first; every revision stays readable" }),
    reports: z.array(MvReportSummarySchema).meta({ description: "Newest first" }),
  })
  .meta({ id: "MvStudy" });

export const MvStudyListSchema = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      tenant_id: z.string(),
      name: z.string(),
      current_revision: z.number().int(),
      created_at: z.string(),
      latest_report: MvReportSummarySchema.nullable(),
    }),
  ),
});

export function serializeReportSummary(r: ReportSummary): z.infer<typeof MvReportSummarySchema> {
  return {
    id: r.id,
    study_id: r.studyId,
    revision: r.revision.revision,
    method_version: r.methodVersion,
    app_version: r.appVersion,
    git_commit: r.gitCommit,
    dataset_versions: r.datasetVersions as z.infer<typeof MvReportSummarySchema>["dataset_versions"],
    inputs_hash: r.inputsHash,
    results_hash: r.resultsHash,
    avoided_kwh: r.avoidedKwh,
    uncertainty90_kwh: r.uncertainty90Kwh,
    calibrated90_kwh: r.calibrated90Kwh,
    pass: r.pass,
    trace_id: r.traceId,
    created_by: by(r.createdByType, r.createdById),
    created_at: r.createdAt.toISOString(),
  };
}

export function serializeStudy(s: StudyDetail): z.infer<typeof MvStudySchema> {
  return {
    id: s.id,
    tenant_id: s.tenantId,
    name: s.name,
    current_revision: s.currentRevision,
    created_by: by(s.createdByType, s.createdById),
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
    revisions: s.revisions.map((r) => ({
      revision: r.revision,
      name: r.name,
      note: r.note,
      spec: StudySpecSchema.parse(r.spec),
      created_by: by(r.createdByType, r.createdById),
      created_at: r.createdAt.toISOString(),
    })),
    reports: s.reports.map(serializeReportSummary),
  };
}

export function serializeStudyList(items: StudyListItem[]): z.infer<typeof MvStudyListSchema> {
  return {
    items: items.map((s) => ({
      id: s.id,
      tenant_id: s.tenantId,
      name: s.name,
      current_revision: s.currentRevision,
      created_at: s.createdAt.toISOString(),
      latest_report: s.reports[0] ? serializeReportSummary(s.reports[0]) : null,
    })),
  };
}

export function serializeReport(r: ReportDetail): z.infer<typeof MvReportSchema> {
  return {
    ...serializeReportSummary({ ...r, revision: { revision: r.revision.revision } }),
    study: { id: r.study.id, name: r.study.name, tenant_id: r.study.tenantId },
    spec: StudySpecSchema.parse(r.revision.spec),
    results: JSON.parse(r.results) as z.infer<typeof MvResultsSchema>,
  };
}
