// An upload request → the CSV byte stream and its parameters: a `text/csv` body with parameters in
// the query, or `multipart/form-data` with the fields before the file (query parameters also work).
import "server-only";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { z } from "zod";
import { firstValues } from "@/lib/audit/audit-filter";
import { AppError } from "@/lib/http/app-error";
import { zodToAppError } from "@/lib/http/problem";
import { unstorableTextError } from "@/lib/http/unstorable-text";
import { ImportOptionsSchema, OPTION_KEYS, type ImportOptions } from "./import-options";

export const UploadParamsSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .meta({ description: "The dataset's name (created on first upload)", example: "site telemetry 2026" }),
  tenant_id: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9_-]{1,64}$/, "1–64 characters a–z 0–9 _ -")
    .optional()
    .meta({ description: "Defaults to the caller's only tenant, else `default`" }),
  on_error: z
    .enum(["strict", "skip"])
    .default("strict")
    .meta({ description: "strict: any bad row refuses the upload; skip: store the valid rows, report the rest" }),
  filename: z.string().max(255).optional(),
  ...ImportOptionsSchema.shape,
});
export type UploadParams = z.infer<typeof UploadParamsSchema>;

/** The reading options among an upload's parameters (ImportOptionsSchema), the omitted ones left out. */
export function importOptionsOf(params: ImportOptions): ImportOptions {
  const out: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) if (params[key] !== undefined) out[key] = params[key];
  return out as ImportOptions;
}

const FIELDS = new Set<string>(["name", "tenant_id", "on_error", "filename", ...OPTION_KEYS]);

/** The preview's parameters: the upload's, the dataset's name optional (its saved options are reused when named). */
export const PreviewParamsSchema = UploadParamsSchema.extend({
  name: UploadParamsSchema.shape.name
    .optional()
    .meta({ description: "The dataset the file would go to: its saved options apply when none are given" }),
});

export type PreviewParams = z.infer<typeof PreviewParamsSchema>;

export type UploadSource<T = UploadParams> = { params: T; source: Readable; filename: string | null };

type Params = { filename?: string };

function parseParams<T extends Params>(values: Record<string, string>, schema: z.ZodType<T>): T {
  const unstorable = unstorableTextError(values, "query");
  if (unstorable) throw unstorable;
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw zodToAppError(parsed.error, "query");
  return parsed.data;
}

export async function readUpload<T extends Params = UploadParams>(
  request: Request,
  maxBytes: number,
  schema: z.ZodType<T> = UploadParamsSchema as unknown as z.ZodType<T>,
): Promise<UploadSource<T>> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes + 64 * 1024)
    throw new AppError("payload_too_large", `The upload exceeds ${maxBytes} bytes`);
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  const query = firstValues(new URL(request.url).searchParams);
  if (!request.body)
    throw new AppError("validation_failed", "The upload has no body", {
      errors: [{ pointer: "", detail: "a CSV file is required", code: "csv_empty" }],
    });
  const body = Readable.fromWeb(request.body as unknown as NodeWebReadableStream<Uint8Array>);
  if (/^(text\/csv|application\/csv|text\/plain)\b/.test(type)) {
    const params = parseParams(query, schema);
    return { params, source: body, filename: params.filename ?? null };
  }
  if (type.startsWith("multipart/form-data"))
    return readMultipart(body, request.headers.get("content-type")!, query, maxBytes, schema);
  body.destroy();
  throw new AppError(
    "unsupported_media_type",
    "Send the CSV as text/csv, or as multipart/form-data with a `file` field",
  );
}

function readMultipart<T extends Params>(
  body: Readable,
  contentType: string,
  query: Record<string, string>,
  maxBytes: number,
  schema: z.ZodType<T>,
): Promise<UploadSource<T>> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = { ...query };
    let settled = false;
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { "content-type": contentType },
        // A mapping of a few hundred columns is the largest field.
        limits: { files: 1, fields: 20, fieldSize: 64 * 1024, fileSize: maxBytes + 1 },
      });
    } catch {
      reject(new AppError("bad_request", "The multipart body has no boundary"));
      return;
    }
    parser.on("field", (name, value) => {
      if (FIELDS.has(name)) fields[name] = value;
    });
    parser.on("file", (name, file, info) => {
      if (settled || name !== "file") {
        file.resume();
        return;
      }
      settled = true;
      try {
        const params = parseParams(fields, schema);
        resolve({ params, source: file, filename: params.filename ?? info.filename ?? null });
      } catch (error) {
        file.resume();
        reject(error);
      }
    });
    parser.on("error", (error) => {
      if (!settled) {
        settled = true;
        reject(new AppError("bad_request", `The multipart body is malformed: ${(error as Error).message}`));
      }
    });
    parser.on("close", () => {
      if (!settled) {
        settled = true;
        reject(
          new AppError("validation_failed", "The form has no `file` field", {
            errors: [{ pointer: "/file", detail: "a CSV file is required", code: "required" }],
          }),
        );
      }
    });
    body.pipe(parser);
  });
}
