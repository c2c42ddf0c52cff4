// What a CSV load takes and answers (lib/datasets/load.ts).
import type { Readable } from "node:stream";
import type { AuditActor, RequestContext } from "@/lib/audit/types";

export type OnError = "strict" | "skip";

export type LoadInput = {
  source: Readable;
  name: string;
  tenantId: string;
  onError: OnError;
  filename: string | null;
  actor: AuditActor;
  context: RequestContext | null;
};

export type LoadResult = { created: boolean; datasetId: string; versionId: string; version: number };
