// The shape of one OpenAPI operation as the operation files declare it (lib/openapi/operations/).
import { z } from "zod";
import { type Action } from "@/lib/access/permissions";
import type { ErrorCode } from "@/lib/http/app-error";

export type Method = "get" | "post" | "patch" | "delete";

export type OperationSpec = {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** The permission the route checks, or "public" (no principal needed). */
  auth: Action | "public";
  path_params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: { schema: z.ZodType; example?: unknown; examples?: Record<string, { summary: string; value: unknown }> };
  /** Further media types the JSON body may come as (NDJSON): media type → OpenAPI schema object. */
  bodyAlternatives?: Record<string, { schema: Record<string, unknown>; example?: string }>;
  /** A non-JSON body (uploads): media type → OpenAPI schema object. */
  rawBody?: Record<string, { schema: Record<string, unknown>; example?: string }>;
  ok: {
    status: 200 | 201 | 202 | 204;
    description: string;
    schema?: z.ZodType;
    contentType?: string;
    example?: unknown;
    headers?: Record<string, { description: string }>;
  };
  /** Error statuses beyond those every route of its kind can answer. */
  errors?: Partial<Record<ErrorCode, string>>;
};
