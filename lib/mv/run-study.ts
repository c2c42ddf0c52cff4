// Running a study revision: load its intervals from the immutable data it pins, compute, and store
// an immutable report with the hashes that make it reproducible — all in one transaction with its
// audit event. A study that cannot be computed (too few points, collinear variables…) is refused
// with the reason and the refusal is audited.
import "server-only";
import { createHash } from "node:crypto";
import type { Principal } from "@/lib/access/principal";
import { canonicalJson } from "@/lib/audit/canonical";
import { recordAudit, recordAuditAlone } from "@/lib/audit/record-audit";
import type { RequestContext } from "@/lib/audit/types";
import { AppError } from "@/lib/http/app-error";
import { currentTraceIds } from "@/lib/observability/trace-context";
import { traced } from "@/lib/observability/tracing";
import { APP_VERSION, GIT_COMMIT } from "@/lib/version";
import { computeStudy, METHOD_VERSION, type StudyResults } from "./compute";
import { MvError } from "./errors";
import { loadStudyData, type LoadedData } from "./load-intervals";
import { findVersions, inTransaction, insertReport } from "./repo";
import { StudySpecSchema, type StudySpec } from "./spec";
import { authorOf, getStudyOrThrow, type Author } from "./studies";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

type PinnedVersion = { id: string; sha256: string; dataset: string; version: number };

/** What a run of `spec` would read and compute, without storing anything (a dry run). */
export type PreparedRun = {
  versions: PinnedVersion[];
  data: LoadedData;
  inputsHash: string;
  computed:
    { ok: true; results: StudyResults; resultsJson: string; resultsHash: string } | { ok: false; error: MvError };
};

export async function prepareRun(tenantId: string, spec: StudySpec): Promise<PreparedRun> {
  const versions = (await findVersions(tenantId, [...new Set(spec.source.datasetVersionIds)])).map((v) => ({
    id: v.id,
    sha256: v.sha256,
    dataset: v.dataset.name,
    version: v.version,
  }));
  const attrs = { "pib.tenant_id": tenantId, "pib.mv.model": spec.model.kind, "pib.mv.granularity": spec.granularity };
  let data: LoadedData;
  try {
    data = await traced("mv.load_intervals", attrs, () => loadStudyData(tenantId, spec));
  } catch (error) {
    // The data cannot give the study what it names (e.g. a boundary sub-meter it lacks): refused like a fit.
    if (!(error instanceof MvError)) throw error;
    const empty: LoadedData = {
      baseline: [],
      reporting: [],
      series: 0,
      sites: [],
      currency: null,
      notes: [],
      quality: {
        rule: { staleAfterSeconds: 0, includeFlagged: false, columns: [] },
        flags: [],
        flagCount: 0,
        flaggedHours: 0,
        sources: [],
      },
    };
    const inputsHash = sha256(
      canonicalJson({
        methodVersion: METHOD_VERSION,
        tenantId,
        spec,
        datasetVersions: versions,
        baseline: [],
        reporting: [],
      }),
    );
    return { versions, data: empty, inputsHash, computed: { ok: false as const, error } };
  }
  const inputsHash = sha256(
    canonicalJson({
      methodVersion: METHOD_VERSION,
      tenantId,
      spec,
      datasetVersions: versions,
      baseline: data.baseline,
      reporting: data.reporting,
    }),
  );
  return traced(
    "mv.compute",
    {
      ...attrs,
      "pib.mv.baseline_intervals": data.baseline.length,
      "pib.mv.reporting_intervals": data.reporting.length,
    },
    async () => {
      try {
        const results = computeStudy(spec, data);
        const resultsJson = canonicalJson(results);
        return {
          versions,
          data,
          inputsHash,
          computed: { ok: true as const, results, resultsJson, resultsHash: sha256(resultsJson) },
        };
      } catch (error) {
        if (!(error instanceof MvError)) throw error;
        return { versions, data, inputsHash, computed: { ok: false as const, error } };
      }
    },
  );
}

/** Stores a prepared run as an immutable report, with its audit event, in one transaction. */
export async function storeReport(
  author: Author,
  study: { id: string; tenantId: string },
  revision: { id: string; revision: number },
  run: PreparedRun,
  context: RequestContext | null,
): Promise<{ id: string; inputsHash: string; resultsHash: string }> {
  if (!run.computed.ok) throw new Error("storeReport needs a computed run");
  const { results, resultsJson, resultsHash } = run.computed;
  const { versions, inputsHash } = run;
  const { traceId } = currentTraceIds();
  const id = await inTransaction(async (tx) => {
    const report = await insertReport(tx, {
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
      calibrated90Kwh: results.savings.calibrated90?.absoluteKwh ?? null,
      pass: results.acceptance.pass,
      traceId,
      createdByType: author.byType,
      createdById: author.byId,
    });
    await recordAudit(tx, {
      actor: author.actor,
      action: "mv.run",
      targetType: "mv_report",
      targetId: report.id,
      tenantId: study.tenantId,
      datasetVersion: versions.map((v) => `${v.id}@${v.sha256.slice(0, 12)}`).join(",") || null,
      inputs: {
        study_id: study.id,
        revision: revision.revision,
        inputs_hash: inputsHash,
        method_version: METHOD_VERSION,
      },
      outputs: {
        results_hash: resultsHash,
        avoided_kwh: results.savings.avoidedKwh,
        uncertainty90_kwh: results.savings.uncertainty90.absoluteKwh,
        calibrated90_kwh: results.savings.calibrated90?.absoluteKwh ?? null,
        pass: results.acceptance.pass,
      },
      context,
    });
    return report.id;
  });
  return { id, inputsHash, resultsHash };
}

export async function runStudy(
  principal: Principal,
  studyId: string,
  revisionNumber: number | undefined,
  context: RequestContext,
) {
  const study = await getStudyOrThrow(principal, studyId);
  const revision =
    revisionNumber === undefined ? study.revisions[0] : study.revisions.find((r) => r.revision === revisionNumber);
  if (!revision) throw new AppError("not_found", `No revision ${revisionNumber} of this study`);
  const run = await prepareRun(study.tenantId, StudySpecSchema.parse(revision.spec));
  const author = authorOf(principal);
  if (!run.computed.ok) {
    const error = run.computed.error;
    await recordAuditAlone({
      actor: author.actor,
      action: "mv.run",
      result: "error",
      targetType: "mv_study",
      targetId: study.id,
      tenantId: study.tenantId,
      inputs: { revision: revision.revision },
      outputs: { code: error.code, detail: error.message },
      context,
    });
    throw new AppError("validation_failed", `The study cannot be computed: ${error.message}`, {
      errors: [{ pointer: "/spec", detail: error.message, code: error.code }],
    });
  }
  return storeReport(author, study, revision, run, context);
}
