// OpenAPI operations of the "Reference engine" tag (lib/openapi/document.ts assembles the document).
import { z } from "zod";
import { BioCoreHealthSchema, BioCoreResponseSchema, BioCoreVersionSchema } from "@/lib/biocore/contract";
import type { OperationSpec } from "../operation-spec";

export const referenceEngineOperations: OperationSpec[] = [
  {
    method: "post",
    path: "/api/biocore-reference/recommend",
    tag: "Reference engine",
    auth: "public",
    summary: "The built-in reference engine: BioCore's contract (MASS v1.1 §3) for a normalized enterprise request",
    description:
      "Used when BIOCORE_URL is unset. Pure and deterministic (docs/BIOCORE-REFERENCE.md); answers with `Cache-Control: max-age=300`.",
    body: { schema: z.record(z.string(), z.unknown()) },
    ok: { status: 200, description: "A MASS response", schema: BioCoreResponseSchema },
  },
  {
    method: "get",
    path: "/api/biocore-reference/health",
    tag: "Reference engine",
    auth: "public",
    summary: "The reference engine's health",
    ok: { status: 200, description: "Health", schema: BioCoreHealthSchema },
  },
  {
    method: "get",
    path: "/api/biocore-reference/version",
    tag: "Reference engine",
    auth: "public",
    summary: "The reference engine's name, version, model, feature set and policy",
    ok: { status: 200, description: "Version", schema: BioCoreVersionSchema },
  },
];
