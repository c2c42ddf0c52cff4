// Shapes shared by every operation of the OpenAPI document: problems, health, pagination params.
import { z } from "zod";
import { ERROR_STATUS, ERROR_TITLES, type ErrorCode } from "@/lib/http/app-error";

export const ProblemSchema = z
  .object({
    type: z.string().meta({ description: "A URI naming the kind of problem" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().meta({ description: "What went wrong with this request, in words" }),
    code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
    instance: z.string().optional(),
    request_id: z
      .string()
      .optional()
      .meta({ description: "Also in the `X-Request-Id` header; quote it when reporting a problem" }),
    errors: z
      .array(
        z.object({
          pointer: z
            .string()
            .meta({ description: 'RFC 6901 JSON Pointer into the body (or query) — `""` is the whole document' }),
          layer: z
            .enum(["structural", "semantic", "contract", "business"])
            .optional()
            .meta({ description: "MASS validation layer" }),
          detail: z.string(),
          code: z.string().optional(),
          row: z.number().int().optional().meta({ description: "CSV: the record's row, the header being row 1" }),
          column: z.string().optional().meta({ description: "CSV: the column header as written" }),
          value: z.string().optional().meta({ description: "CSV: the offending value (shortened)" }),
        }),
      )
      .optional()
      .meta({ description: "Every problem found, not only the first (CSV uploads: the first 1,000)" }),
    total_problems: z.number().int().optional().meta({ description: "CSV uploads: how many problems in all" }),
    problem_groups: z
      .array(
        z.object({
          column: z.string(),
          detail: z.string(),
          count: z.number().int(),
          rows: z.array(z.number().int()).meta({ description: "The first rows with this problem" }),
          values: z.array(z.string()).meta({ description: "Up to three distinct offending values" }),
        }),
      )
      .optional()
      .meta({ description: "CSV uploads: the problems by kind (column and reason), most frequent first" }),
    complete: z.boolean().optional().meta({
      description: "CSV uploads: false when reading stopped at 1,000 problems (the counts cover the rows read)",
    }),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details (`application/problem+json`)" });

export function problemExample(
  code: ErrorCode,
  detail: string,
  errors?: Array<{ pointer: string; detail: string; layer?: string; code?: string }>,
) {
  return {
    type: `https://pilot-in-a-box.dev/problems/${code}`,
    title: ERROR_TITLES[code],
    status: ERROR_STATUS[code],
    detail,
    code,
    request_id: "3f1c9a52-5d0e-4f7a-9a55-0c1d2e3f4a5b",
    ...(errors ? { errors } : {}),
  };
}

export const HealthSchema = z
  .object({ status: z.literal("ok"), version: z.string(), commit: z.string().nullable() })
  .meta({ id: "Health" });

export const ReadySchema = z.object({ status: z.literal("ready"), database: z.literal("ok") }).meta({ id: "Ready" });

export const IdParams = z.object({ id: z.uuid().meta({ description: "The resource's UUID" }) });
