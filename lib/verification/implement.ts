// Recording what the operator did with a recommendation, once: implemented (when it took effect,
// the value applied, a note) or rejected (why). An implementation creates, in the same transaction
// and with its audit events, an ordinary M&V study on the boundary and scope the recommendation acts
// on; an implementation whose verification window meets another's on an overlapping scope is
// refused (409), so two changes are never silently mixed in one saving.
import "server-only";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import type { RequestContext } from "@/lib/audit/types";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { isoInstant } from "@/lib/http/iso-instant";
import { StudySpecSchema } from "@/lib/mv/spec";
import { insertStudyWithAudit, type Author } from "@/lib/mv/studies";
import { boundaryOf, scopesOverlap, verificationSpec, verificationWindows, windowsIntersect } from "./plan";
import {
  findImplementationsMeeting,
  inTransaction,
  insertImplementation,
  latestReadyVersionIds,
  lockSite,
  moveRecommendationStatus,
} from "./repo";

const Instant = isoInstant();
const Days = z.number().int().min(7).max(366);

export const ImplementationInputSchema = z.discriminatedUnion("outcome", [
  z.strictObject({
    outcome: z.literal("implemented"),
    effective_at: Instant.meta({ description: "When the change took effect at the site (UTC)" }),
    applied_value: z
      .number()
      .finite()
      .nullable()
      .optional()
      .meta({ description: "The value actually applied, in the action's units (may differ from the suggestion)" }),
    note: z.string().trim().max(2000).optional(),
    baseline_days: Days.optional().meta({
      description: "Whole days of baseline before the change (default VERIFY_BASELINE_DAYS, 28)",
    }),
    reporting_days: Days.optional().meta({
      description: "Whole days of reporting from the change (default VERIFY_REPORTING_DAYS, 28)",
    }),
  }),
  z.strictObject({ outcome: z.literal("rejected"), reason: z.string().trim().min(1).max(2000) }),
]);
export type ImplementationInput = z.infer<typeof ImplementationInputSchema>;

export type RecommendationRef = {
  id: string;
  tenantId: string;
  siteId: string | null;
  clusterId: string | null;
  zoneId: string | null;
  recId: string;
  category: string;
  action: unknown;
};

function studyName(rec: RecommendationRef, appliedValue: number | null | undefined): string {
  const a = rec.action as { type?: string; current?: number | null; units?: string };
  const change =
    appliedValue !== null && appliedValue !== undefined
      ? ` ${a.current ?? "?"} → ${appliedValue} ${a.units ?? ""}`.trimEnd()
      : "";
  const where = [rec.siteId, rec.clusterId, rec.zoneId].filter(Boolean).join("/");
  return `Verification: ${rec.category.replace(/_/g, " ")}${change} at ${where} (${rec.recId})`.slice(0, 200);
}

/** Records the outcome; returns the implementation's id. */
export async function recordImplementation(
  author: Author,
  rec: RecommendationRef,
  input: ImplementationInput,
  context: RequestContext | null,
): Promise<string> {
  if (input.outcome === "rejected") {
    return inTransaction(async (tx) => {
      const row = await insertImplementation(tx, {
        recommendationId: rec.id,
        tenantId: rec.tenantId,
        outcome: "rejected",
        reason: input.reason,
        siteId: rec.siteId,
        clusterId: rec.clusterId,
        zoneId: rec.zoneId,
        createdByType: author.byType,
        createdById: author.byId,
      }).catch(alreadyRecorded);
      await moveRecommendationStatus(tx, rec.id, "rejected", `${author.byType}:${author.byId}`, new Date());
      await recordAudit(tx, {
        actor: author.actor,
        action: "recommendation.reject",
        targetType: "recommendation",
        targetId: rec.id,
        tenantId: rec.tenantId,
        inputs: { reason: input.reason, rec_id: rec.recId },
        outputs: { implementation_id: row.id },
        context,
      });
      return row.id;
    });
  }
  if (!rec.siteId)
    throw new AppError("validation_failed", "The recommendation names no site: there is no scope to verify it on", {
      errors: [{ pointer: "", detail: "recommendation without site_id" }],
    });
  const e = env();
  const windows = verificationWindows(
    new Date(input.effective_at),
    input.baseline_days ?? e.VERIFY_BASELINE_DAYS,
    input.reporting_days ?? e.VERIFY_REPORTING_DAYS,
  );
  const from = new Date(windows.baseline.from);
  const to = new Date(windows.reporting.to);
  const scope = { siteId: rec.siteId, clusterId: rec.clusterId, zoneId: rec.zoneId };
  const spec = StudySpecSchema.parse(
    verificationSpec({
      category: rec.category,
      scope,
      windows,
      datasetVersionIds: await latestReadyVersionIds(rec.tenantId, from, to),
    }),
  );
  return inTransaction(async (tx) => {
    await lockSite(tx, rec.tenantId, rec.siteId!);
    const meeting = (await findImplementationsMeeting(tx, rec.tenantId, rec.siteId!, from, to)).filter(
      (o) =>
        o.recommendationId !== rec.id &&
        scopesOverlap(scope, o) &&
        windowsIntersect({ from, to }, { from: o.baselineFrom!, to: o.reportingTo! }),
    );
    if (meeting.length > 0) {
      const list = meeting
        .map((o) => `recommendation ${o.recommendationId} (effective ${o.effectiveAt?.toISOString()})`)
        .join(", ");
      throw new AppError(
        "conflict",
        `Overlapping implementation on the same scope: the verification window ${windows.baseline.from} – ${windows.reporting.to} meets that of ${list}; their savings cannot be told apart. Record it after the other's reporting period, or narrow the periods.`,
        {
          errors: meeting.map((o) => ({
            pointer: "/effective_at",
            detail: `overlaps implementation ${o.id} of recommendation ${o.recommendationId}`,
            code: "overlapping_implementation",
          })),
        },
      );
    }
    const studyId = await insertStudyWithAudit(
      tx,
      author,
      { tenant_id: rec.tenantId, name: studyName(rec, input.applied_value), spec },
      context,
    );
    const row = await insertImplementation(tx, {
      recommendationId: rec.id,
      tenantId: rec.tenantId,
      outcome: "implemented",
      effectiveAt: new Date(input.effective_at),
      appliedValue: input.applied_value ?? null,
      note: input.note ?? null,
      siteId: rec.siteId,
      clusterId: rec.clusterId,
      zoneId: rec.zoneId,
      boundary: boundaryOf(rec.category),
      baselineFrom: from,
      reportingFrom: new Date(windows.reporting.from),
      reportingTo: to,
      studyId,
      verificationStatus: "waiting",
      verificationNote: "not checked yet",
      createdByType: author.byType,
      createdById: author.byId,
    }).catch(alreadyRecorded);
    await moveRecommendationStatus(tx, rec.id, "implemented", `${author.byType}:${author.byId}`, new Date());
    await recordAudit(tx, {
      actor: author.actor,
      action: "recommendation.implement",
      targetType: "recommendation",
      targetId: rec.id,
      tenantId: rec.tenantId,
      inputs: {
        rec_id: rec.recId,
        effective_at: input.effective_at,
        applied_value: input.applied_value ?? null,
        note: input.note ?? null,
        baseline: windows.baseline,
        reporting: windows.reporting,
      },
      outputs: {
        implementation_id: row.id,
        study_id: studyId,
        boundary: spec.boundary,
        scope: spec.scope,
        dataset_versions: spec.source.datasetVersionIds,
      },
      context,
    });
    return row.id;
  });
}

function alreadyRecorded(error: unknown): never {
  if ((error as { code?: string }).code === "P2002")
    throw new AppError("conflict", "What was done with this recommendation is already recorded");
  throw error;
}
