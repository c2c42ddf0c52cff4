// OpenAPI operations of the "Authentication" tag (lib/openapi/document.ts assembles the document).
import { AccessTokenSchema, MeSchema, TokenRequestSchema } from "@/lib/auth/api-schemas";
import type { OperationSpec } from "../operation-spec";

export const authOperations: OperationSpec[] = [
  {
    method: "post",
    path: "/api/v1/auth/token",
    tag: "Authentication",
    auth: "public",
    summary: "Exchange email and password for a 15-minute access JWT",
    description: "Rate-limited per address and per account; the same answer for an unknown user and a wrong password.",
    body: { schema: TokenRequestSchema },
    ok: { status: 200, description: "A signed access token", schema: AccessTokenSchema },
    errors: { unauthenticated: "Wrong email or password, or a disabled account" },
  },
  {
    method: "get",
    path: "/api/v1/me",
    tag: "Authentication",
    auth: "dashboard.read",
    summary: "Who the caller is",
    ok: { status: 200, description: "The principal", schema: MeSchema },
  },
];
