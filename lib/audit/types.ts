import type { Principal } from "@/lib/auth/principal";

export type AuditResult = "ok" | "denied" | "error";

export type AuditActor =
  | { type: "user" | "api_token"; id: string; label?: string | null }
  | { type: "system"; id?: string | null; label?: string | null }
  | { type: "anonymous"; id?: null; label?: string | null };

/** Where an operation came from; built by the API wrapper or a server action. */
export type RequestContext = {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
};

export type AuditInput = {
  actor: AuditActor;
  action: string;
  result?: AuditResult;
  targetType?: string | null;
  targetId?: string | null;
  tenantId?: string | null;
  inputs?: unknown;
  outputs?: unknown;
  datasetVersion?: string | null;
  biocoreVersion?: string | null;
  context?: RequestContext | null;
  occurredAt?: Date;
};

export function actorOf(principal: Principal): AuditActor {
  return { type: principal.kind, id: principal.id, label: principal.label };
}

export const SYSTEM_ACTOR: AuditActor = { type: "system", id: "pilot-in-a-box", label: "system" };
