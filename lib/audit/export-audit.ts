// CSV and PDF exports of the filtered audit trail, recorded in the trail themselves.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { toCsvStream, type CsvColumn } from "@/lib/export/csv";
import { renderTablePdf, type PdfColumn } from "@/lib/export/pdf-table";
import type { AuditEvent } from "@/lib/generated/prisma/client";
import { APP_VERSION, GIT_COMMIT } from "@/lib/version";
import { auditFilterToQuery, type AuditFilter } from "./audit-filter";
import { iterateAuditEvents } from "./repo";
import { verifyAuditChain } from "./verify-chain";
import { verificationSummary } from "./verify-text";
import { actorText, detailsText, targetText, utcText } from "./view";

const CSV_COLUMNS: CsvColumn<AuditEvent>[] = [
  { header: "seq", value: (e) => e.seq.toString() },
  { header: "chain_pos", value: (e) => e.chainPos?.toString() ?? "" },
  { header: "id", value: (e) => e.id },
  { header: "occurred_at", value: (e) => e.occurredAt },
  { header: "actor_type", value: (e) => e.actorType },
  { header: "actor_id", value: (e) => e.actorId },
  { header: "actor_label", value: (e) => e.actorLabel },
  { header: "tenant_id", value: (e) => e.tenantId },
  { header: "action", value: (e) => e.action },
  { header: "target_type", value: (e) => e.targetType },
  { header: "target_id", value: (e) => e.targetId },
  { header: "result", value: (e) => e.result },
  { header: "inputs", value: (e) => (e.inputs === null ? "" : JSON.stringify(e.inputs)) },
  { header: "outputs", value: (e) => (e.outputs === null ? "" : JSON.stringify(e.outputs)) },
  { header: "dataset_version", value: (e) => e.datasetVersion },
  { header: "biocore_version", value: (e) => e.biocoreVersion },
  { header: "app_version", value: (e) => e.appVersion },
  { header: "git_commit", value: (e) => e.gitCommit },
  { header: "trace_id", value: (e) => e.traceId },
  { header: "span_id", value: (e) => e.spanId },
  { header: "request_id", value: (e) => e.requestId },
  { header: "ip", value: (e) => e.ip },
  { header: "user_agent", value: (e) => e.userAgent },
  { header: "prev_hash", value: (e) => e.prevHash },
  { header: "hash", value: (e) => e.hash },
];

const PDF_COLUMNS: PdfColumn<AuditEvent>[] = [
  { header: "#", width: 0.5, value: (e) => e.seq.toString(), align: "right" },
  { header: "Time (UTC)", width: 1.7, value: (e) => utcText(e.occurredAt) },
  { header: "Actor", width: 1.8, value: actorText },
  { header: "Action", width: 1.5, value: (e) => e.action },
  { header: "Target", width: 1.6, value: targetText },
  { header: "Result", width: 0.7, value: (e) => e.result },
  { header: "Details", width: 3.2, value: detailsText },
  { header: "Hash", width: 1.1, value: (e) => (e.hash ? `${e.hash.slice(0, 16)}…` : "(unsealed)") },
];

export function auditCsv(principal: Principal, filter: AuditFilter): ReadableStream<Uint8Array> {
  return toCsvStream(iterateAuditEvents(principal, filter), CSV_COLUMNS);
}

export function auditPdf(
  principal: Principal,
  filter: AuditFilter,
  generatedAt = new Date(),
): ReadableStream<Uint8Array> {
  const query = auditFilterToQuery(filter);
  return renderTablePdf({
    title: "Audit trail",
    subtitle: "Pilot-in-a-Box · append-only, hash-chained record of every operation",
    meta: [
      ["Filters", query ? decodeURIComponent(query.replace(/&/g, ", ").replace(/=/g, " = ")) : "none"],
      ["Exported by", principal.label],
      ["Generated at (UTC)", utcText(generatedAt)],
      ["App", `${APP_VERSION}${GIT_COMMIT ? ` (${GIT_COMMIT})` : ""}`],
    ],
    columns: PDF_COLUMNS,
    rows: iterateAuditEvents(principal, filter),
    creationDate: generatedAt,
    // Verified after the rows are written, so the result covers at least every exported event.
    footerLines: async () => {
      const v = await verifyAuditChain();
      return v.ok
        ? [
            `Chain verification: intact — ${v.checked} events verified, head #${v.headSeq ?? "—"} ${v.headHash ?? ""}`,
            `Verified at ${v.verifiedAt}${v.unsealed ? `; ${v.unsealed} newer events not yet sealed` : ""}`,
            ...v.warnings.map((w) => `Warning: ${w.message}`),
          ]
        : [`Chain verification: ${verificationSummary(v)}`, `Verified at ${v.verifiedAt}`];
    },
  });
}
