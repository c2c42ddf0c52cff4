import type { IngestResult } from "./ingest";
import { MassAcceptedSchema } from "./serialize";

const ANSWER_KEYS = Object.keys(MassAcceptedSchema.shape);

/**
 * The stored answer comes back from a jsonb column, whose keys PostgreSQL reorders: put them back
 * in the order of the original answer, so a replay is the same bytes (clients that hash or compare
 * answers, on whichever replica).
 */
function inAnswerOrder(body: Record<string, unknown>): Record<string, unknown> {
  const known = ANSWER_KEYS.filter((k) => k in body).map((k) => [k, body[k]] as const);
  const rest = Object.entries(body).filter(([k]) => !ANSWER_KEYS.includes(k));
  return Object.fromEntries([...known, ...rest]);
}

/** 201 with Location for a new request; the stored status and body, marked, for a replay. */
export function ingestResponse(result: IngestResult): Response {
  const headers: Record<string, string> = {};
  if (typeof result.body.id === "string") headers.Location = `/api/v1/mass/${result.body.id}`;
  if (result.replayed) headers["Idempotent-Replayed"] = "true";
  return Response.json(result.replayed ? inAnswerOrder(result.body) : result.body, { status: result.status, headers });
}
