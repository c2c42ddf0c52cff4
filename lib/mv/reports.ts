// Reading a report, and the audit event of each export of one.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { recordAuditAlone } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { AppError } from "@/lib/http/app-error";
import { findReport } from "./repo";
import { serializeReport } from "./serialize";

export async function getReportOrThrow(principal: Principal, id: string) {
  const found = await findReport(principal, id);
  if (!found) throw new AppError("not_found", "No such M&V report");
  return serializeReport(found);
}

export async function recordReportExport(
  principal: Principal,
  report: Awaited<ReturnType<typeof getReportOrThrow>>,
  format: "csv" | "pdf",
  context: RequestContext,
) {
  await recordAuditAlone({
    actor: actorOf(principal),
    action: `export.${format}`,
    targetType: "mv_report",
    targetId: report.id,
    tenantId: report.study.tenant_id,
    datasetVersion: report.dataset_versions.map((v) => `${v.id}@${v.sha256.slice(0, 12)}`).join(",") || null,
    inputs: { study_id: report.study.id, revision: report.revision },
    outputs: {
      results_hash: report.results_hash,
      intervals: report.results.baselineSeries.t.length + report.results.reportingSeries.t.length,
    },
    context,
  });
}
