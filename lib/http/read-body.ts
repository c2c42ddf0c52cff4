// Reads a JSON body under the size limit: 413 when over it, 400 when not JSON or nested too
// deeply, 422 for text PostgreSQL cannot store and per schema.
import type { z } from "zod";
import { AppError } from "./app-error";
import { nestsDeeperThan } from "./json-depth";
import { zodToAppError } from "./problem";
import { unstorableTextError } from "./unstorable-text";

/** No route's document nests near this deep; past it, recursive walks would overflow the stack. */
export const MAX_JSON_DEPTH = 64;

export async function readText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("bad_request", "The request body is not valid UTF-8");
  }
}

export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes: number,
): Promise<z.infer<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "The request body must be application/json");
  }
  const value = parseJsonBody(await readText(request, maxBytes));
  const unstorable = unstorableTextError(value, "body");
  if (unstorable) throw unstorable;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw zodToAppError(parsed.error, "body");
  return parsed.data;
}

/**
 * A JSON body's value, refused (400) when it is not JSON or nests deeper than MAX_JSON_DEPTH
 * levels below `containerLevels` enclosing arrays (a batch's array holding its documents is one).
 */
export function parseJsonBody(text: string, containerLevels = 0): unknown {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH + containerLevels))
    throw new AppError(
      "bad_request",
      `The request body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`,
    );
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON");
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `The request body exceeds ${maxBytes} bytes`);
}
