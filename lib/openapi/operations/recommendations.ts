// OpenAPI operations of the "Recommendations" tag (lib/openapi/document.ts assembles the document).
import { z } from "zod";
import { AskInputSchema, AskResultSchema } from "@/lib/biocore/ask";
import { RecommendationFilterSchema, ReviewSchema } from "@/lib/biocore/recommendations";
import { ImplementationInputSchema } from "@/lib/verification/implement";
import { ImplementationViewSchema } from "@/lib/verification/serialize";
import { ScorecardFilterSchema } from "@/lib/verification/scorecard";
import { ScorecardSchema } from "@/lib/verification/scorecard-schema";
import { RecommendationDetailSchema, RecommendationViewSchema } from "@/lib/biocore/serialize";
import { BiocoreStatusSchema } from "@/lib/biocore/status";
import { IdParams } from "../common";
import type { OperationSpec } from "../operation-spec";

export const recommendationsOperations: OperationSpec[] = [
  {
    method: "post",
    path: "/api/v1/mass/{id}/recommend",
    tag: "Recommendations",
    auth: "mass.ingest",
    summary: "Ask BioCore again about a stored request (queues a job; audited)",
    path_params: IdParams,
    ok: {
      status: 202,
      description: "The queued job",
      schema: z.object({ job_id: z.uuid(), mass_request_id: z.uuid(), status: z.literal("pending") }),
    },
    errors: { not_found: "No such request", conflict: "A MASS Simple request without signals: nothing to ask" },
  },
  {
    method: "post",
    path: "/api/v1/recommendations/ask",
    tag: "Recommendations",
    auth: "mass.ingest",
    summary:
      "Ask BioCore about a site (and cluster) over a window of any stored data, CSV or MASS (queues a job; audited)",
    description:
      'The pilot builds a MASS v1.1 request from the stored observations of the window (per asset-hour the source the dashboard counts: the latest-loaded dataset version above live MASS readings; per series its latest value of each field; power and hotspot counts summed over the series, the p95 inlet their maximum, other values their mean: README "Ask BioCore"), stores it as a MASS request (no observations of its own) and queues a job: the same client, guardrails, recommendation storage and audit events as an ingested request. The same scope and window asked again by the same caller within a minute answers the first ask (`replayed`). Advice only: nothing is sent to a plant.',
    body: {
      schema: AskInputSchema,
      example: { site_id: "site-a", from: "2026-06-01T00:00:00Z", to: "2026-06-02T00:00:00Z" },
    },
    ok: { status: 202, description: "The queued job and the request built", schema: AskResultSchema },
    errors: {
      not_found: "No stored observations of the site (or cluster) in the caller's tenants",
      validation_failed:
        "Bad input (each problem named): the window empty, inverted or longer than 31 days, or the site in several tenants without tenant_id",
    },
  },
  {
    method: "get",
    path: "/api/v1/recommendations",
    tag: "Recommendations",
    auth: "recommendation.read",
    summary: "Recommendations of the caller's tenants, newest first",
    description:
      "Suggestions only: the pilot runs in shadow mode and never sends an action to a plant. `actionable` is false when the pilot's own guardrail check found a violated hard constraint, or the answer was served stale.",
    query: RecommendationFilterSchema,
    ok: {
      status: 200,
      description: "Matching recommendations, and the open ones' estimated saving in the same tenant and asset scope",
      schema: z.object({
        items: z.array(RecommendationViewSchema),
        open: z.object({ count: z.number().int(), saving_kwh_24h: z.number() }).meta({
          description:
            "New or acknowledged, actionable recommendations of the filter's tenant, site, cluster and zone (other filters aside): BioCore's estimated facility saving over 24 h, kWh (positive = saving). Implemented, rejected and verified ones are not open.",
        }),
      }),
    },
  },
  {
    method: "get",
    path: "/api/v1/recommendations/{id}",
    tag: "Recommendations",
    auth: "recommendation.read",
    summary: "One recommendation with the call log of its request",
    path_params: IdParams,
    ok: { status: 200, description: "The recommendation", schema: RecommendationDetailSchema },
    errors: { not_found: "No such recommendation (or outside the caller's tenants)" },
  },
  {
    method: "patch",
    path: "/api/v1/recommendations/{id}",
    tag: "Recommendations",
    auth: "recommendation.acknowledge",
    summary: "Acknowledge or dismiss a new recommendation, with a comment (audited)",
    path_params: IdParams,
    body: { schema: ReviewSchema, example: { status: "acknowledged", comment: "Scheduled with the facility team" } },
    ok: { status: 200, description: "The reviewed recommendation", schema: RecommendationDetailSchema },
    errors: { not_found: "No such recommendation", conflict: "Already reviewed" },
  },
  {
    method: "get",
    path: "/api/v1/recommendations/{id}/implementation",
    tag: "Recommendations",
    auth: "recommendation.read",
    summary:
      "What was done with a recommendation: implemented or rejected, its verification study and predicted vs verified with the verdict",
    description:
      "Predicted: BioCore's facility-power delta × the hours the verification measured (positive = saving). Verified: the latest report's avoided energy, cost and CO2e with their 90 % uncertainty. A cooling (Option B) study attributes the facility prediction to the cooling boundary. Verdict: inconclusive while there is no report or the data is insufficient, or when the 90 % band contains both zero and the prediction; confirmed when the band excludes zero on the saving side (with where the prediction lies: inside, above or below the band); not confirmed otherwise.",
    path_params: IdParams,
    ok: { status: 200, description: "The implementation record", schema: ImplementationViewSchema },
    errors: { not_found: "No such recommendation, or nothing recorded about it yet" },
  },
  {
    method: "post",
    path: "/api/v1/recommendations/{id}/implementation",
    tag: "Recommendations",
    auth: "recommendation.acknowledge",
    summary: "Record a recommendation implemented (by the operator, outside the pilot) or rejected, once (audited)",
    description:
      "Implemented: creates an M&V study on the recommendation's scope — cooling boundary (Option B) for cooling_setpoint and fan_speed, facility (Option C) otherwise — with a baseline of whole days before the day the change took effect and a reporting period from the next midnight (28 days each by default), daily, IT energy + cooling degree-days with the balance point searched; data: the tenant's latest ready dataset versions and MASS data up to the end of reporting. The study runs at once when its reporting period has enough data, and again by the verification pass as data arrives until it closes. An implementation whose verification window meets another's on an overlapping scope is refused with 409.",
    path_params: IdParams,
    body: {
      schema: ImplementationInputSchema,
      example: {
        outcome: "implemented",
        effective_at: "2026-06-01T00:00:00Z",
        applied_value: 24,
        note: "Raised by the facility team after the change review",
      },
    },
    ok: {
      status: 201,
      description: "The implementation record with its verification",
      schema: ImplementationViewSchema,
    },
    errors: {
      not_found: "No such recommendation",
      conflict: "Already recorded, or an overlapping implementation on the same scope",
      validation_failed: "Invalid body, or a recommendation without a site",
    },
  },
  {
    method: "post",
    path: "/api/v1/recommendations/{id}/verification",
    tag: "Recommendations",
    auth: "recommendation.acknowledge",
    summary: "Check the implementation's verification now (a new report only when its data changed)",
    path_params: IdParams,
    ok: { status: 200, description: "The implementation record after the check", schema: ImplementationViewSchema },
    errors: { not_found: "No such recommendation, or no implementation to verify" },
  },
  {
    method: "get",
    path: "/api/v1/scorecard",
    tag: "Recommendations",
    auth: "recommendation.read",
    summary:
      "BioCore's scorecard: implemented recommendations, confirmed share, total predicted vs total verified per engine version and category, calibration points, biggest misses",
    description:
      "Totals cover the implementations with a verification report (so predicted and verified span the same hours); their 90 % uncertainties are combined in quadrature. Filters: site, engine version (`model name` + `version`), and the period the changes took effect.",
    query: ScorecardFilterSchema,
    ok: { status: 200, description: "The scorecard", schema: ScorecardSchema },
  },
  {
    method: "get",
    path: "/api/v1/scorecard/export.csv",
    tag: "Recommendations",
    auth: "export.create",
    summary: "The scorecard as CSV: one row per implemented recommendation (predicted, verified ± 90 %, verdict)",
    query: ScorecardFilterSchema,
    ok: { status: 200, description: "CSV with a header row (audited as export.csv)", contentType: "text/csv" },
  },
  {
    method: "get",
    path: "/api/v1/scorecard/report.pdf",
    tag: "Recommendations",
    auth: "export.create",
    summary:
      "The scorecard as PDF for a steering meeting: summary, per engine and category, calibration chart, biggest misses, method",
    query: ScorecardFilterSchema,
    ok: { status: 200, description: "PDF (audited as export.pdf)", contentType: "application/pdf" },
  },
  {
    method: "get",
    path: "/api/v1/biocore/status",
    tag: "Recommendations",
    auth: "recommendation.read",
    summary: "BioCore's health, version, circuit state, last hour's latency and error rate, and the job queue",
    ok: { status: 200, description: "Status", schema: BiocoreStatusSchema },
  },
  {
    method: "post",
    path: "/api/v1/biocore/jobs/retry-failed",
    tag: "Recommendations",
    auth: "mass.ingest",
    summary: "Put every failed recommendation job of the caller's tenants back in the queue (audited)",
    description:
      "A BioCore outage never fails a job: it waits the outage out. A job fails for good when BioCore refused " +
      "the call (4xx), answered outside the contract, or the worker itself failed, after its attempts. This " +
      "puts each such job back in the queue with its attempts reset and its MASS request back to pending, in " +
      "one transaction, with one audit event (`biocore.jobs.retry`) per tenant listing the jobs and their last errors.",
    ok: {
      status: 200,
      description: "How many jobs went back to the queue, and which",
      schema: z.object({ retried: z.number().int(), job_ids: z.array(z.uuid()) }),
    },
  },
];
