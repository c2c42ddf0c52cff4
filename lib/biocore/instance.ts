// The one BioCore client of this process, configured from the environment. Without BIOCORE_URL it
// talks to the built-in reference engine served by this same app, through the same client (timeouts,
// retries, breaker, cache), so the demo exercises the real path.
import "server-only";
import { env } from "@/lib/env";
import { clientOptionsFromEnv, createBioCoreClient, type BioCoreClient } from "./client";

const state = globalThis as unknown as { pibBioCore?: { client: BioCoreClient; engine: "reference" | "remote"; baseUrl: string } };

export function referenceBaseUrl(): string {
  const port = process.env.PORT ?? "3000";
  const host = !process.env.HOST || process.env.HOST === "0.0.0.0" || process.env.HOST === "::" ? "127.0.0.1" : process.env.HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}/api/biocore-reference`;
}

export function bioCore(): { client: BioCoreClient; engine: "reference" | "remote"; baseUrl: string } {
  if (state.pibBioCore) return state.pibBioCore;
  const e = env();
  const options = clientOptionsFromEnv(e, referenceBaseUrl());
  const baseUrl = options.baseUrl;
  const client = createBioCoreClient(options);
  state.pibBioCore = { client, engine: e.BIOCORE_URL ? "remote" : "reference", baseUrl };
  return state.pibBioCore;
}
