// POST /api/biocore-reference/recommend – the built-in reference engine (BioCore's contract, §3): recommendations for a normalized enterprise request
// The answer (and its Cache-Control) is lib/biocore/reference-http.ts's, which the worker process's
// own loopback server gives too; the body is read by the API wrapper.
import { recommendAnswer } from "@/lib/biocore/reference-http";
import { withPublicApi } from "@/lib/handlers/with-api";

export const POST = withPublicApi(async ({ json }) => recommendAnswer(json));
