// One verification check of an implementation: pin the newest data, compute the study without
// storing (a dry run), and store a report only when the inputs changed since the last one — so the
// pass can run often and each report still stands for different data. A verification waits until
// its reporting period has the minimum days of data, then reports on every change of data, and
// closes after a final report once the reporting period is over and its data complete (or a week
// late: data that never comes does not keep it open).
import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { SYSTEM_ACTOR } from "@/lib/audit/types";
import { prepareRun, storeReport } from "@/lib/mv/run-study";
import { StudySpecSchema } from "@/lib/mv/spec";
import { reviseStudyAs, type Author } from "@/lib/mv/studies";
import {
  findImplementationById,
  inTransaction,
  latestReadyVersionIds,
  moveRecommendationStatus,
  updateVerification,
} from "./repo";

export const VERIFICATION_AUTHOR: Author = {
  actor: { ...SYSTEM_ACTOR, label: "verification" },
  byType: "system",
  byId: "verification",
};
const LATE_DATA_GRACE_MS = 7 * 86_400_000;

export type CheckOutcome = {
  status: "waiting" | "open" | "closed" | "failed" | "skipped";
  note: string;
  reportId: string | null;
  reported: boolean;
};

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

export async function checkVerification(implementationId: string, now: Date = new Date()): Promise<CheckOutcome> {
  let impl = await findImplementationById(implementationId);
  if (!impl || impl.outcome !== "implemented" || !impl.study)
    return { status: "skipped", note: "nothing to verify", reportId: null, reported: false };
  if (impl.verificationStatus === "closed")
    return {
      status: "closed",
      note: impl.verificationNote ?? "closed",
      reportId: impl.study.reports[0]?.id ?? null,
      reported: false,
    };
  let study = impl.study;
  let revision = study.revisions[0]!;
  let spec = StudySpecSchema.parse(revision.spec);

  // New data arrives as new dataset versions: pin them in a new revision (MASS data is read up to the end of reporting anyway).
  const latest = await latestReadyVersionIds(study.tenantId, new Date(spec.baseline.from), new Date(spec.reporting.to));
  if (latest.length > 0 && !sameSet(latest, spec.source.datasetVersionIds)) {
    await reviseStudyAs(
      VERIFICATION_AUTHOR,
      study,
      { ...spec, source: { ...spec.source, datasetVersionIds: latest } },
      "verification: newer dataset versions pinned",
    );
    impl = (await findImplementationById(implementationId))!;
    study = impl.study!;
    revision = study.revisions[0]!;
    spec = StudySpecSchema.parse(revision.spec);
  }

  const run = await prepareRun(study.tenantId, spec);
  const reportingEnd = new Date(spec.reporting.to).getTime();
  const over = now.getTime() >= reportingEnd;
  const late = now.getTime() >= reportingEnd + LATE_DATA_GRACE_MS;
  const last = study.reports[0] ?? null;
  let outcome: CheckOutcome;
  if (!run.computed.ok) {
    outcome = {
      status: late ? "failed" : "waiting",
      note: `the study cannot be computed yet: ${run.computed.error.message}`,
      reportId: last?.id ?? null,
      reported: false,
    };
  } else {
    const r = run.computed.results;
    const rep = r.sufficiency.reporting;
    const minDays = spec.assumptions.sufficiency.minReportingDays;
    if (rep.days < minDays) {
      outcome = {
        status: late ? "failed" : "waiting",
        note: `reporting period has ${rep.complete} of ${rep.expected} days of complete data; the first report needs ${minDays}`,
        reportId: last?.id ?? null,
        reported: false,
      };
    } else {
      let reportId = last?.id ?? null;
      let reported = false;
      if (!last || last.inputsHash !== run.inputsHash || last.revisionId !== revision.id) {
        reportId = (await storeReport(VERIFICATION_AUTHOR, study, revision, run, null)).id;
        reported = true;
      }
      const complete = rep.complete >= rep.expected;
      const closes = over && (complete || late);
      const note = `${rep.complete} of ${rep.expected} reporting days${closes ? "; reporting period over, final report" : over ? "; reporting period over, waiting up to a week for late data" : "; reporting period still open"}`;
      outcome = { status: closes ? "closed" : "open", note, reportId, reported };
    }
  }
  await inTransaction(async (tx) => {
    await updateVerification(tx, impl.id, {
      verificationStatus: outcome.status,
      verificationNote: outcome.note,
      checkedAt: now,
      closedAt: outcome.status === "closed" || outcome.status === "failed" ? now : null,
    });
    if (outcome.status === "closed")
      await moveRecommendationStatus(
        tx,
        impl.recommendationId,
        "verified",
        `${VERIFICATION_AUTHOR.byType}:${VERIFICATION_AUTHOR.byId}`,
        now,
      );
    if (outcome.status !== impl.verificationStatus) {
      await recordAudit(tx, {
        actor: VERIFICATION_AUTHOR.actor,
        action: `verification.${outcome.status}`,
        targetType: "recommendation",
        targetId: impl.recommendationId,
        tenantId: impl.tenantId,
        inputs: {
          implementation_id: impl.id,
          study_id: study.id,
          revision: revision.revision,
          inputs_hash: run.inputsHash,
        },
        outputs: { status: outcome.status, note: outcome.note, report_id: outcome.reportId },
      });
    }
  });
  return outcome;
}
