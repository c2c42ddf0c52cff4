// OpenAPI operations of the "Administration" tag (lib/openapi/document.ts assembles the document).
import { z } from "zod";
import { ApiTokenCreatedSchema, ApiTokenSchema } from "@/lib/api-tokens/serialize";
import { CreateApiTokenSchema } from "@/lib/api-tokens/schemas";
import { CreateUserSchema, UpdateUserSchema } from "@/lib/users/schemas";
import { UserSchema } from "@/lib/users/serialize";
import { IdParams } from "../common";
import type { OperationSpec } from "../operation-spec";

export const administrationOperations: OperationSpec[] = [
  {
    method: "get",
    path: "/api/v1/users",
    tag: "Administration",
    auth: "user.manage",
    summary: "List users",
    ok: { status: 200, description: "All users", schema: z.object({ items: z.array(UserSchema) }) },
  },
  {
    method: "post",
    path: "/api/v1/users",
    tag: "Administration",
    auth: "user.manage",
    summary: "Create a user",
    body: {
      schema: CreateUserSchema,
      example: {
        email: "analyst@example.com",
        password: "a long passphrase of words",
        role: "analyst",
        tenant_ids: [],
      },
    },
    ok: {
      status: 201,
      description: "Created",
      schema: UserSchema,
      headers: { Location: { description: "`/api/v1/users/{id}`" } },
    },
    errors: { conflict: "A user with this email exists" },
  },
  {
    method: "patch",
    path: "/api/v1/users/{id}",
    tag: "Administration",
    auth: "user.manage",
    summary: "Change a user's role or tenant scope, disable or enable, reset the password",
    description: "A password reset or disabling ends the user's sessions and access tokens.",
    path_params: IdParams,
    body: { schema: UpdateUserSchema, example: { role: "viewer" } },
    ok: { status: 200, description: "The user", schema: UserSchema },
    errors: { not_found: "No such user", conflict: "The change would leave no active admin" },
  },
  {
    method: "get",
    path: "/api/v1/tokens",
    tag: "Administration",
    auth: "token.manage",
    summary: "List API tokens (never their secrets)",
    ok: { status: 200, description: "All tokens", schema: z.object({ items: z.array(ApiTokenSchema) }) },
  },
  {
    method: "post",
    path: "/api/v1/tokens",
    tag: "Administration",
    auth: "token.manage",
    summary: "Create an API token for a collector; the secret is in this answer only",
    body: {
      schema: CreateApiTokenSchema,
      example: { name: "site-a collector", role: "analyst", tenant_ids: ["acme"] },
    },
    ok: {
      status: 201,
      description: "Created",
      schema: ApiTokenCreatedSchema,
      headers: { Location: { description: "`/api/v1/tokens/{id}`" } },
    },
  },
  {
    method: "delete",
    path: "/api/v1/tokens/{id}",
    tag: "Administration",
    auth: "token.manage",
    summary: "Revoke an API token (effective on its next use)",
    path_params: IdParams,
    ok: { status: 200, description: "The revoked token", schema: ApiTokenSchema },
    errors: { not_found: "No such token" },
  },
];
