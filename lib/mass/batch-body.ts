// The body of POST /api/v1/mass/batch: a JSON array of documents, or NDJSON (one document a line).
// Problems with the batch as a whole (media type, size, not an array, no items, too many) refuse
// it; a line of NDJSON that is not JSON is that item's problem only, the other lines still count.
import { env } from "@/lib/env";
import { AppError, type FieldProblem } from "@/lib/http/app-error";
import { MAX_JSON_DEPTH, parseJsonBody, readText } from "@/lib/http/read-body";
import { nestsDeeperThan } from "@/lib/http/json-depth";

export const MASS_BATCH_MAX_ITEMS = 1_000;

/** One document of a batch, at its position (0-based), or why it could not be read. */
export type BatchEntry = { index: number; value: unknown } | { index: number; problem: FieldProblem };

const NDJSON_TYPES = new Set([
  "application/x-ndjson",
  "application/ndjson",
  "application/jsonl",
  "application/x-jsonlines",
]);

export function batchMediaType(request: Request): "json" | "ndjson" {
  const media = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (NDJSON_TYPES.has(media)) return "ndjson";
  if (media === "application/json" || (media.startsWith("application/") && media.endsWith("+json"))) return "json";
  throw new AppError(
    "unsupported_media_type",
    "The batch must be application/json (an array of documents) or application/x-ndjson (one document a line)",
  );
}

export async function readMassBatch(request: Request): Promise<BatchEntry[]> {
  const media = batchMediaType(request);
  const text = await readText(request, env().MASS_BATCH_MAX_BYTES);
  const entries = media === "json" ? jsonArrayEntries(text) : ndjsonEntries(text);
  const count = "count" in entries ? entries.count : entries.length;
  if (count === 0) {
    throw new AppError("validation_failed", "The batch holds no documents", {
      errors: [{ pointer: "", detail: "must hold at least one document", code: "empty_batch" }],
    });
  }
  if ("count" in entries || count > MASS_BATCH_MAX_ITEMS) {
    throw new AppError(
      "validation_failed",
      `A batch holds at most ${MASS_BATCH_MAX_ITEMS.toLocaleString("en-US")} documents; this one has ${count.toLocaleString("en-US")}`,
      {
        errors: [
          {
            pointer: "",
            detail: `must hold at most ${MASS_BATCH_MAX_ITEMS.toLocaleString("en-US")} documents (it has ${count.toLocaleString("en-US")})`,
            code: "too_many_items",
          },
        ],
      },
    );
  }
  return entries;
}

function jsonArrayEntries(text: string): BatchEntry[] {
  // One level more than a single document may nest: the array holding them.
  const value = parseJsonBody(text, 1);
  if (!Array.isArray(value)) {
    throw new AppError("validation_failed", "The batch must be a JSON array of documents", {
      errors: [{ pointer: "", detail: "must be an array of documents", code: "invalid_type" }],
    });
  }
  return value.map((v, index) => ({ index, value: v }));
}

/** The documents of an NDJSON text; past the limit only how many there are (the batch is refused). */
function ndjsonEntries(text: string): BatchEntry[] | { count: number } {
  const entries: BatchEntry[] = [];
  const lines = text.split("\n");
  let count = 0;
  for (const raw of lines) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    // Blank lines (a trailing newline, spacing between documents) hold no document.
    if (line.trim() === "") continue;
    count += 1;
    if (count > MASS_BATCH_MAX_ITEMS) continue;
    const index = entries.length;
    if (nestsDeeperThan(line, MAX_JSON_DEPTH)) {
      entries.push({
        index,
        problem: {
          pointer: "",
          detail: `nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`,
          code: "too_deep",
          layer: "structural",
        },
      });
      continue;
    }
    try {
      entries.push({ index, value: JSON.parse(line) as unknown });
    } catch {
      entries.push({
        index,
        problem: { pointer: "", detail: "is not valid JSON", code: "invalid_json", layer: "structural" },
      });
    }
  }
  return count > MASS_BATCH_MAX_ITEMS ? { count } : entries;
}
