import type { Principal } from "@/lib/access/principal";
import type { RequestContext } from "@/lib/http/request-context";

export type AuditResult = "ok" | "denied" | "error";

export type AuditActor =
  | { type: "user" | "api_token"; id: string; label?: string | null }
  | { type: "system"; id?: string | null; label?: string | null }
  | { type: "anonymous"; id?: null; label?: string | null };

// Where an operation came from is the HTTP layer's (lib/http/request-context.ts); events carry it.
export type { RequestContext };

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
