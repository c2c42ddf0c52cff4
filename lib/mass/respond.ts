import type { IngestResult } from "./ingest";

/** 201 with Location for a new request; the stored status and body, marked, for a replay. */
export function ingestResponse(result: IngestResult): Response {
  const headers: Record<string, string> = {};
  if (typeof result.body.id === "string") headers.Location = `/api/v1/mass/${result.body.id}`;
  if (result.replayed) headers["Idempotent-Replayed"] = "true";
  return Response.json(result.body, { status: result.status, headers });
}
