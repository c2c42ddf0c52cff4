// POST /api/biocore-reference/recommend – the built-in reference engine (BioCore's contract, §3): recommendations for a normalized enterprise request
import { z } from "zod";
import { recommend } from "@/lib/biocore/reference";
import { withPublicApi } from "@/lib/http/with-api";

// The reference engine is deterministic: an identical request (volatile fields aside) gets an
// identical answer, so the pilot's client may reuse it for a while.
const MAX_AGE_SECONDS = 300;

export const POST = withPublicApi(async ({ json }) => {
  const started = performance.now();
  const answer = recommend(await json(z.record(z.string(), z.unknown())), { now: new Date() });
  answer.response.audit.latency_ms = Math.round(performance.now() - started);
  return Response.json(answer, { headers: { "Cache-Control": `max-age=${MAX_AGE_SECONDS}` } });
});
