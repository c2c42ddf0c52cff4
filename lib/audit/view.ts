import type { AuditEvent } from "@/lib/generated/prisma/client";

export function actorText(e: Pick<AuditEvent, "actorType" | "actorLabel" | "actorId">): string {
  return e.actorLabel ?? (e.actorId ? `${e.actorType}:${e.actorId}` : e.actorType);
}

export function targetText(e: Pick<AuditEvent, "targetType" | "targetId">): string {
  return e.targetType ? `${e.targetType}${e.targetId ? `:${e.targetId}` : ""}` : "";
}

export function detailsText(e: Pick<AuditEvent, "inputs" | "outputs">): string {
  const parts: string[] = [];
  if (e.inputs !== null) parts.push(`in ${JSON.stringify(e.inputs)}`);
  if (e.outputs !== null) parts.push(`out ${JSON.stringify(e.outputs)}`);
  return parts.join(" · ");
}

export function utcText(d: Date): string {
  return d.toISOString().replace("T", " ").replace("Z", "");
}
