import type { MassRequest } from "@/lib/generated/prisma/client";

export type AuditRow = {
  occurredAt: Date;
  action: string;
  actorLabel: string | null;
  actorType: string;
  result: string;
  inputs: unknown;
  outputs: unknown;
  traceId: string | null;
};

/** received → validated → normalized → stored, then every audited change (status, BioCore calls). */
export function massTimeline(m: Pick<MassRequest, "receivedAt" | "normalizedAt" | "warnings">, events: AuditRow[]) {
  const warnings = Array.isArray(m.warnings) ? m.warnings.length : 0;
  const stages = [
    { at: m.receivedAt, event: "received", detail: null },
    {
      at: m.normalizedAt,
      event: "validated",
      detail: `four layers passed${warnings ? `, ${warnings} warning(s)` : ""}`,
    },
    { at: m.normalizedAt, event: "normalized", detail: null },
  ];
  const audited = events.map((e) => ({
    at: e.occurredAt,
    event: e.action === "mass.ingest" || e.action === "mass.ingest_batch" ? "stored" : e.action,
    detail:
      e.action === "mass.ingest_batch"
        ? `in batch ${(e.inputs as { batch_id?: string })?.batch_id}`
        : e.action === "mass.status"
          ? `${(e.inputs as { from?: string })?.from} → ${(e.inputs as { to?: string })?.to}`
          : e.action === "biocore.call"
            ? callDetail(e.outputs)
            : null,
    actor: e.actorLabel ?? e.actorType,
    result: e.result,
    trace_id: e.traceId,
  }));
  return [...stages.map((s) => ({ ...s, actor: null, result: "ok", trace_id: null })), ...audited].map((x) => ({
    ...x,
    at: x.at.toISOString(),
  }));
}

/** "ok in 412 ms, 1 attempt, cache miss, 2 recommendations" */
function callDetail(outputs: unknown): string {
  const o = (outputs ?? {}) as {
    outcome?: string;
    latency_ms?: number;
    attempts?: number;
    cache?: string;
    error?: string | null;
    recommendations?: number;
    breaker?: string;
  };
  const parts = [
    `${o.outcome}${o.error ? ` (${o.error})` : ""} in ${o.latency_ms} ms`,
    `${o.attempts} attempt${o.attempts === 1 ? "" : "s"}`,
    `cache ${o.cache}`,
    `breaker ${o.breaker}`,
    `${o.recommendations ?? 0} recommendation${o.recommendations === 1 ? "" : "s"}`,
  ];
  return parts.join(", ");
}
