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

/** Names of the actors of a batch of events, keyed by `type:id` (the caller's tenant-scoped lookup). */
export type ActorNameLookup = (refs: { type: string; id: string }[]) => Promise<Map<string, string>>;

/** An exported event with the names its actor and target (a user, a token) have now (null when not found); the stored event is unchanged. */
type NamedAuditEvent = AuditEvent & { actorName: string | null; targetName: string | null };

/** The events with their actors' names: one lookup per batch of events, never a rewrite of the events. */
export async function* withActorNames(
  events: AsyncIterable<AuditEvent>,
  lookup: ActorNameLookup | undefined,
  batch = 500,
): AsyncGenerator<NamedAuditEvent> {
  let pending: AuditEvent[] = [];
  const flush = async function* () {
    const refs = pending.flatMap((e) => [
      ...(e.actorId ? [{ type: e.actorType, id: e.actorId }] : []),
      ...(e.targetType && e.targetId ? [{ type: e.targetType, id: e.targetId }] : []),
    ]);
    const names = lookup && refs.length > 0 ? await lookup(refs) : new Map<string, string>();
    for (const e of pending) {
      yield {
        ...e,
        actorName: e.actorId ? (names.get(`${e.actorType}:${e.actorId}`) ?? null) : null,
        targetName: e.targetType && e.targetId ? (names.get(`${e.targetType}:${e.targetId}`) ?? null) : null,
      };
    }
    pending = [];
  };
  for await (const e of events) {
    pending.push(e);
    if (pending.length >= batch) yield* flush();
  }
  yield* flush();
}

/** The actor as shown: its current name when found, else what the event recorded. */
function actorShown(e: NamedAuditEvent): string {
  return e.actorName ?? actorText(e);
}

const CSV_COLUMNS: CsvColumn<NamedAuditEvent>[] = [
  { header: "seq", value: (e) => e.seq.toString() },
  { header: "chain_pos", value: (e) => e.chainPos?.toString() ?? "" },
  { header: "id", value: (e) => e.id },
  { header: "occurred_at", value: (e) => e.occurredAt },
  { header: "actor_type", value: (e) => e.actorType },
  { header: "actor_id", value: (e) => e.actorId },
  { header: "actor_name", value: (e) => e.actorName },
  { header: "actor_label", value: (e) => e.actorLabel },
  { header: "tenant_id", value: (e) => e.tenantId },
  { header: "action", value: (e) => e.action },
  { header: "target_type", value: (e) => e.targetType },
  { header: "target_id", value: (e) => e.targetId },
  { header: "target_name", value: (e) => e.targetName },
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

const PDF_COLUMNS: PdfColumn<NamedAuditEvent>[] = [
  { header: "#", width: 0.5, value: (e) => e.seq.toString(), align: "right" },
  { header: "Time (UTC)", width: 1.7, value: (e) => utcText(e.occurredAt) },
  { header: "Actor", width: 1.8, value: actorShown },
  { header: "Action", width: 1.5, value: (e) => e.action },
  { header: "Target", width: 1.6, value: (e) => e.targetName ?? targetText(e) },
  { header: "Result", width: 0.7, value: (e) => e.result },
  { header: "Details", width: 3.2, value: detailsText },
  { header: "Hash", width: 1.1, value: (e) => (e.hash ? `${e.hash.slice(0, 16)}…` : "(unsealed)") },
];

export function auditCsv(
  principal: Principal,
  filter: AuditFilter,
  lookup?: ActorNameLookup,
): ReadableStream<Uint8Array> {
  return toCsvStream(withActorNames(iterateAuditEvents(principal, filter), lookup), CSV_COLUMNS);
}

export function auditPdf(
  principal: Principal,
  filter: AuditFilter,
  lookup?: ActorNameLookup,
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
    rows: withActorNames(iterateAuditEvents(principal, filter), lookup),
    creationDate: generatedAt,
    // Verified after the rows are written, so the result covers at least every exported event.
    footerLines: async () => {
      const v = await verifyAuditChain();
      return v.ok
        ? [
            `Chain verification: intact — ${v.checked} events verified, head #${v.headSeq ?? "—"} ${v.headHash ?? ""}`,
            `Verified at ${utcText(new Date(v.verifiedAt))} UTC${v.unsealed ? `; ${v.unsealed} newer events not yet sealed` : ""}`,
            ...v.warnings.map((w) => `Warning: ${w.message}`),
          ]
        : [`Chain verification: ${verificationSummary(v)}`, `Verified at ${utcText(new Date(v.verifiedAt))} UTC`];
    },
  });
}
