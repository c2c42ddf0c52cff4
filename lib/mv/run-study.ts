// Running a study revision: load its intervals from the immutable data it pins, compute, and store
// an immutable report with the hashes that make it reproducible — all in one transaction with its
// audit event. A study that cannot be computed (too few points, collinear variables…) is refused
// with the reason and the refusal is audited.
import "server-only";
import { createHash } from "node:crypto";
import type { Principal } from "@/lib/auth/principal";
import { canonicalJson } from "@/lib/audit/canonical";
import { recordAudit, recordAuditAlone } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { db } from "@/lib/db";
import { AppError } from "@/lib/http/app-error";
import { currentTraceIds } from "@/lib/observability/trace-context";
import { traced } from "@/lib/observability/tracing";
import { APP_VERSION, GIT_COMMIT } from "@/lib/version";
import { computeStudy, METHOD_VERSION, type StudyResults } from "./compute";
import { MvError } from "./errors";
import { loadStudyData } from "./load-intervals";
import { findVersions, insertReport, type ReportDetail } from "./repo";
import { serializeReport } from "./serialize";
import { StudySpecSchema } from "./spec";
import { getStudyOrThrow } from "./studies";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export async function runStudy(principal: Principal, studyId: string, revisionNumber: number | undefined, context: RequestContext) {
  const study = await getStudyOrThrow(principal, studyId);
  const revision = revisionNumber === undefined ? study.revisions[0] : study.revisions.find((r) => r.revision === revisionNumber);
  if (!revision) throw new AppError("not_found", `No revision ${revisionNumber} of this study`);
  const spec = StudySpecSchema.parse(revision.spec);
  const versions = (await findVersions(study.tenantId, [...new Set(spec.source.datasetVersionIds)])).map((v) => ({ id: v.id, sha256: v.sha256, dataset: v.dataset.name, version: v.version }));
  const attrs = { "pib.mv.study_id": study.id, "pib.mv.revision": revision.revision, "pib.mv.model": spec.model.kind, "pib.mv.granularity": spec.granularity };
  const data = await traced("mv.load_intervals", attrs, () => loadStudyData(study.tenantId, spec));

  let results: StudyResults;
  try {
    results = await traced("mv.compute", { ...attrs, "pib.mv.baseline_intervals": data.baseline.length, "pib.mv.reporting_intervals": data.reporting.length }, async () => computeStudy(spec, data));
  } catch (error) {
    if (!(error instanceof MvError)) throw error;
    await recordAuditAlone({
      actor: actorOf(principal),
      action: "mv.run",
      result: "error",
      targetType: "mv_study",
      targetId: study.id,
      tenantId: study.tenantId,
      inputs: { revision: revision.revision },
      outputs: { code: error.code, detail: error.message },
      context,
    });
    throw new AppError("validation_failed", `The study cannot be computed: ${error.message}`, { errors: [{ pointer: "/spec", detail: error.message, code: error.code }] });
  }

  const resultsJson = canonicalJson(results);
  const inputsHash = sha256(canonicalJson({ methodVersion: METHOD_VERSION, tenantId: study.tenantId, spec, datasetVersions: versions, baseline: data.baseline, reporting: data.reporting }));
  const resultsHash = sha256(resultsJson);
  const { traceId } = currentTraceIds();
  const createdAt = new Date();
  const row = {
    studyId: study.id,
    revisionId: revision.id,
    tenantId: study.tenantId,
    methodVersion: METHOD_VERSION,
    appVersion: APP_VERSION,
    gitCommit: GIT_COMMIT,
    datasetVersions: versions,
    inputsHash,
    resultsHash,
    results: resultsJson,
    avoidedKwh: results.savings.avoidedKwh,
    uncertainty90Kwh: results.savings.uncertainty90.absoluteKwh,
    pass: results.acceptance.pass,
    traceId,
    createdByType: principal.kind,
    createdById: principal.id,
    createdAt,
  };
  const id = await db().$transaction(async (tx) => {
    const report = await insertReport(tx, row);
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: "mv.run",
      targetType: "mv_report",
      targetId: report.id,
      tenantId: study.tenantId,
      datasetVersion: versions.map((v) => `${v.id}@${v.sha256.slice(0, 12)}`).join(",") || null,
      inputs: { study_id: study.id, revision: revision.revision, inputs_hash: inputsHash, method_version: METHOD_VERSION },
      outputs: { results_hash: resultsHash, avoided_kwh: results.savings.avoidedKwh, uncertainty90_kwh: results.savings.uncertainty90.absoluteKwh, pass: results.acceptance.pass },
      context,
    });
    return report.id;
  });
  // The answer is built from what was just stored, without reading the report back.
  const report = serializeReport({ ...row, id, datasetVersions: versions, revision, study: { id: study.id, name: study.name, tenantId: study.tenantId } } as ReportDetail);
  return { id, inputsHash, resultsHash, report };
}
