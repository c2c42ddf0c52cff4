// The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with and the
// serializers are typed against. Every route the app serves is listed in one operations file per tag
// (lib/openapi/operations/), assembled here in OPERATIONS; a test fails when a route file exists that is not.
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { isGlobalAction, PERMISSIONS, type Action } from "@/lib/access/permissions";
import type { ErrorCode } from "@/lib/http/app-error";
import { APP_VERSION } from "@/lib/version";
import { ProblemSchema, problemExample } from "./common";
import type { OperationSpec } from "./operation-spec";
import { serviceOperations } from "./operations/service";
import { authOperations } from "./operations/auth";
import { massOperations } from "./operations/mass";
import { datasetsOperations } from "./operations/datasets";
import { dashboardOperations } from "./operations/dashboard";
import { recommendationsOperations } from "./operations/recommendations";
import { referenceEngineOperations } from "./operations/reference-engine";
import { mvOperations } from "./operations/mv";
import { auditOperations } from "./operations/audit";
import { administrationOperations } from "./operations/administration";

export type { OperationSpec } from "./operation-spec";

export const OPERATIONS: OperationSpec[] = [
  ...serviceOperations,
  ...authOperations,
  ...massOperations,
  ...datasetsOperations,
  ...dashboardOperations,
  ...recommendationsOperations,
  ...referenceEngineOperations,
  ...mvOperations,
  ...auditOperations,
  ...administrationOperations,
];

const GENERIC: Partial<Record<ErrorCode, string>> = {
  rate_limited: "Too many requests from this address or principal (see `Retry-After`)",
  internal: "An unexpected error (logged with the request id)",
  unavailable: "The database is not reachable (see `Retry-After`)",
};

function errorResponses(op: OperationSpec) {
  const codes: Partial<Record<ErrorCode, string>> = {};
  if (op.rawBody) {
    codes.payload_too_large = "The upload is over the size limit";
    codes.unsupported_media_type = "Not one of the accepted media types";
    codes.bad_request = "A malformed multipart body";
    codes.validation_failed =
      "The file is malformed or has invalid rows (every problem, up to 1,000, with row, column, value and reason)";
  }
  if (op.body) {
    codes.bad_request = "The body is not JSON";
    codes.payload_too_large = "The body is over the size limit";
    codes.unsupported_media_type = "The body is not `application/json`";
    codes.validation_failed = "The body breaks its schema (every problem, with its JSON Pointer)";
  }
  if (op.query) codes.validation_failed ??= "A query parameter is invalid (every problem, with its JSON Pointer)";
  if (op.auth !== "public") {
    codes.unauthenticated = "No valid bearer token or session";
    codes.forbidden = `The caller's role may not perform \`${op.auth}\``;
  }
  Object.assign(codes, op.errors, GENERIC);
  const byStatus = new Map<number, { code: ErrorCode; detail: string }[]>();
  for (const [code, detail] of Object.entries(codes) as [ErrorCode, string][]) {
    const status = problemExample(code, detail).status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), { code, detail }]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, entries]) => [
      String(status),
      {
        description: entries.map((e) => e.detail).join("; "),
        content: {
          "application/problem+json": {
            schema: ProblemSchema,
            example:
              entries[0]!.code === "validation_failed" && op.path.startsWith("/api/v1/mass")
                ? problemExample("validation_failed", "The request has 2 problems", [
                    {
                      pointer: "/request/signals/energy/it_load_kw",
                      layer: "semantic",
                      detail: "must be between 0 and 1000000",
                      code: "out_of_range",
                    },
                    {
                      pointer: "/request/time_window/end_utc",
                      layer: "business",
                      detail: "must be after start_utc",
                      code: "window_order",
                    },
                  ])
                : problemExample(entries[0]!.code, entries[0]!.detail),
          },
        },
      },
    ]),
  );
}

function authText(auth: Action | "public"): string {
  // eslint-disable-next-line security/detect-possible-timing-attacks -- `auth` is an action name from the route table, not a secret
  if (auth === "public") return "No authentication.";
  const roles = (PERMISSIONS[auth] as readonly string[]).join(", ");
  return `Needs \`${auth}\` (roles: ${roles})${isGlobalAction(auth) ? ", and a principal not limited to tenants" : ""}.`;
}

function operation(op: OperationSpec): ZodOpenApiOperationObject {
  const okContent =
    op.ok.status === 204
      ? undefined
      : op.ok.contentType
        ? {
            [op.ok.contentType]: {
              schema: {
                type: "string" as const,
                ...(op.ok.contentType === "application/pdf" ? { format: "binary" } : {}),
              },
            },
          }
        : {
            "application/json": op.ok.schema
              ? { schema: op.ok.schema, ...(op.ok.example ? { example: op.ok.example } : {}) }
              : { schema: { type: "object" as const } },
          };
  return {
    operationId: `${op.method}${op.path
      .replace(/^\/api/, "")
      .replace(/[{}]/g, "")
      .split(/[/._-]/)
      .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
      .join("")}`,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, authText(op.auth)].filter(Boolean).join("\n\n"),
    ...(op.auth === "public" ? { security: [] } : {}),
    "x-permission": op.auth,
    requestParams: {
      ...(op.path_params ? { path: op.path_params } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(op.headers ? { header: op.headers } : {}),
    },
    ...(op.rawBody ? { requestBody: { required: true, content: op.rawBody as never } } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: op.body.schema,
                ...(op.body.example ? { example: op.body.example } : {}),
                ...(op.body.examples ? { examples: op.body.examples } : {}),
              },
              ...((op.bodyAlternatives ?? {}) as Record<string, never>),
            },
          },
        }
      : {}),
    responses: {
      [String(op.ok.status)]: {
        description: op.ok.description,
        ...(op.ok.headers
          ? {
              headers: Object.fromEntries(
                Object.entries(op.ok.headers).map(([k, v]) => [k, { ...v, schema: { type: "string" as const } }]),
              ),
            }
          : {}),
        ...(okContent ? { content: okContent } : {}),
      },
      ...errorResponses(op),
    },
  };
}

let cached: ReturnType<typeof createDocument> | null = null;

export function openApiDocument() {
  if (cached) return cached;
  const paths: ZodOpenApiPathsObject = {};
  for (const op of OPERATIONS) paths[op.path] = { ...paths[op.path], [op.method]: operation(op) };
  cached = createDocument({
    openapi: "3.1.0",
    info: {
      title: "Pilot-in-a-Box API",
      version: APP_VERSION,
      description:
        "Shadow-mode (read-only) data-centre energy pilot: it never sends a control action anywhere.\n\n" +
        "Authenticate with `Authorization: Bearer …`: an access JWT from `POST /api/v1/auth/token` (15 minutes) or an API token (`pib_…`) an admin created. " +
        "In the dashboard (and on this page) the session cookie works too.\n\n" +
        "Every error is RFC 9457 `application/problem+json` with a request id; every answer carries `X-Request-Id` and `Cache-Control: no-store`. " +
        "Rate-limited answers are 429 with `Retry-After`, `RateLimit` and `RateLimit-Policy`. Dashboard sign-in (`/api/auth/*`) belongs to the browser session flow and is not part of this API.",
    },
    security: [{ bearer: [] }],
    tags: [
      { name: "MASS", description: "Ingestion of the MASS v1.1 contract (enterprise) and MASS Simple" },
      { name: "Dashboard", description: "KPIs and trends over observations" },
      { name: "Datasets", description: "CSV datasets: immutable, content-addressed versions with quality reports" },
      {
        name: "Recommendations",
        description:
          "BioCore's recommendations (suggestions only: never sent to a plant), their review, and BioCore's status",
      },
      { name: "Reference engine", description: "The built-in stand-in for BioCore, used when BIOCORE_URL is unset" },
      {
        name: "M&V",
        description:
          "Measurement and verification studies (ASHRAE Guideline 14, IPMVP Options B and C) and their reproducible reports",
      },
      { name: "Audit", description: "The tamper-evident audit trail" },
      { name: "Authentication" },
      { name: "Administration", description: "Users and API tokens (admin)" },
      { name: "Service" },
    ],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "An access JWT (`POST /api/v1/auth/token`) or an API token (`pib_…`)",
        },
      },
    },
    paths,
  });
  return cached;
}
