// What a CSV load takes and answers (lib/datasets/load.ts).
import type { Readable } from "node:stream";
import type { AuditActor, RequestContext } from "@/lib/audit/types";
import type { ImportOptions } from "./import-options";

export type OnError = "strict" | "skip";

export type LoadInput = {
  source: Readable;
  name: string;
  tenantId: string;
  onError: OnError;
  filename: string | null;
  /** The options given for this upload (omitted ones: the dataset's saved ones, else detected or defaults). */
  options?: ImportOptions;
  actor: AuditActor;
  context: RequestContext | null;
};

export type LoadResult = { created: boolean; datasetId: string; versionId: string; version: number };
