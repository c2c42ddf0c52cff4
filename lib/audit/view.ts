import type { AuditEvent } from "@/lib/generated/prisma/client";

export function actorText(e: Pick<AuditEvent, "actorType" | "actorLabel" | "actorId">): string {
  return e.actorLabel ?? (e.actorId ? `${e.actorType}:${e.actorId}` : e.actorType);
}

export function targetText(e: Pick<AuditEvent, "targetType" | "targetId">): string {
  return e.targetType ? `${e.targetType}${e.targetId ? `:${e.targetId}` : ""}` : "";
}

/** Targets with UUIDs shortened to their first block, for narrow table cells. */
export function shortTargetText(e: Pick<AuditEvent, "targetType" | "targetId">): string {
  return targetText(e).replace(/([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "$1…");
}

export function detailsText(e: Pick<AuditEvent, "inputs" | "outputs">): string {
  const parts: string[] = [];
  if (e.inputs !== null) parts.push(`in ${JSON.stringify(e.inputs)}`);
  if (e.outputs !== null) parts.push(`out ${JSON.stringify(e.outputs)}`);
  return parts.join(" · ");
}

/** `2026-03-01 14:00:05` (UTC, to the second: an audit trail orders events closer than minutes; no milliseconds). */
export function utcText(d: Date): string {
  return d.toISOString().slice(0, 19).replace("T", " ");
}
