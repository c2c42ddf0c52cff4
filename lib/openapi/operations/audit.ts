// OpenAPI operations of the "Audit" tag (lib/openapi/document.ts assembles the document).
import { AuditFilterSchema, AuditPageSchema } from "@/lib/audit/audit-filter";
import {
  AnchorSchema,
  AuditPageResultSchema,
  ChainVerificationSchema,
  VerifyAnchorsBodySchema,
} from "@/lib/audit/serialize";
import type { OperationSpec } from "../operation-spec";

const exportQuery = AuditFilterSchema;

export const auditOperations: OperationSpec[] = [
  {
    method: "get",
    path: "/api/v1/audit",
    tag: "Audit",
    auth: "audit.read",
    summary: "Audit events, newest first, filtered and cursor-paginated",
    query: AuditFilterSchema.extend(AuditPageSchema.shape),
    ok: { status: 200, description: "One page", schema: AuditPageResultSchema },
  },
  {
    method: "get",
    path: "/api/v1/audit/export.csv",
    tag: "Audit",
    auth: "audit.export",
    summary: "The filtered audit events as CSV (streamed; cells safe against formula injection)",
    query: exportQuery,
    ok: { status: 200, description: "CSV with a header row", contentType: "text/csv" },
  },
  {
    method: "get",
    path: "/api/v1/audit/export.pdf",
    tag: "Audit",
    auth: "audit.export",
    summary: "The filtered audit events as PDF, ending with the chain verification",
    query: exportQuery,
    ok: { status: 200, description: "PDF", contentType: "application/pdf" },
  },
  {
    method: "get",
    path: "/api/v1/audit/verify",
    tag: "Audit",
    auth: "audit.verify",
    summary: "Walk the audit hash chain and name the first broken event",
    description:
      "Checks every keyed hash (HMAC under AUDIT_HMAC_KEY), link and chain position (gaps, a chain not starting at position 1), " +
      "and compares the chain with the server's last anchor. Events sealed before the key existed verify as `legacy_unkeyed` (a warning).",
    ok: {
      status: 200,
      description: "The verification (also 200 when the chain is broken: read `ok` and `reasons`)",
      schema: ChainVerificationSchema,
    },
  },
  {
    method: "post",
    path: "/api/v1/audit/verify",
    tag: "Audit",
    auth: "audit.verify",
    summary: "Verify the audit chain against anchors kept outside the database",
    description:
      "As GET, and each anchor sent (from GET /api/v1/audit/checkpoint or the anchor file) is compared with the chain: a position that now holds " +
      "another hash (`hash_differs`), a position beyond the head (`truncated`), or a signature that does not verify (`bad_signature`).",
    body: {
      schema: VerifyAnchorsBodySchema,
      example: {
        anchors: [
          {
            chain_pos: "1042",
            hash: `9f2c${"0".repeat(60)}`,
            count: 1042,
            at: "2026-12-06T21:00:00.000Z",
            sig: "0".repeat(64),
          },
        ],
      },
    },
    ok: {
      status: 200,
      description: "The verification (also 200 when the chain is broken: read `ok` and `reasons`)",
      schema: ChainVerificationSchema,
    },
  },
  {
    method: "get",
    path: "/api/v1/audit/checkpoint",
    tag: "Audit",
    auth: "audit.verify",
    summary: "The chain's head, signed: an anchor to keep outside the database (audited as audit.checkpoint)",
    description:
      "Keep the answer where the database's administrators cannot change it, and pass it back to POST /api/v1/audit/verify later. " +
      "Answers 409 when the chain disagrees with the server's last anchor (it will not sign a rewritten head). See docs/AUDIT-CHAIN.md.",
    ok: { status: 200, description: "The signed head", schema: AnchorSchema },
    errors: {
      not_found: "The chain is empty",
      conflict: "The chain disagrees with the last anchor: it was cut back or rewritten",
    },
  },
];
