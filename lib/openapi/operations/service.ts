// OpenAPI operations of the "Service" tag (lib/openapi/document.ts assembles the document).
import { HealthSchema, ReadySchema } from "../common";
import type { OperationSpec } from "../operation-spec";

export const serviceOperations: OperationSpec[] = [
  {
    method: "get",
    path: "/api/health",
    tag: "Service",
    auth: "public",
    summary: "Liveness",
    description: "The process answers; never touches the database.",
    ok: { status: 200, description: "Alive", schema: HealthSchema },
  },
  {
    method: "get",
    path: "/api/ready",
    tag: "Service",
    auth: "public",
    summary: "Readiness",
    description: "200 when the database answers; 503 otherwise.",
    ok: { status: 200, description: "Ready", schema: ReadySchema },
  },
  {
    method: "get",
    path: "/api/metrics",
    tag: "Service",
    auth: "public",
    summary: "Prometheus metrics (text exposition format) for the bearer of METRICS_TOKEN",
    description:
      "Not a user token: `Authorization: Bearer <METRICS_TOKEN>`. Answers 404 when METRICS_TOKEN is unset. Metric names: docs/OBSERVABILITY.md.",
    ok: { status: 200, description: "Prometheus text", contentType: "text/plain; version=0.0.4" },
    errors: {
      not_found: "Metrics are off (no METRICS_TOKEN configured)",
      unauthenticated: "Missing or wrong metrics token",
    },
  },
  {
    method: "get",
    path: "/api/v1/openapi.json",
    tag: "Service",
    auth: "dashboard.read",
    summary: "This document",
    ok: { status: 200, description: "The OpenAPI 3.1 document" },
  },
];
