import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/http/app-error";
import { batchMediaType, readMassBatch } from "./batch-body";

const req = (body: string, type: string) =>
  new Request("http://x/api/v1/mass/batch", { method: "POST", headers: { "Content-Type": type }, body });

async function refusal(p: Promise<unknown>): Promise<{ code: string; errors?: { code?: string }[] }> {
  try {
    await p;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, errors: error.errors };
    throw error;
  }
  throw new Error("not refused");
}

describe("MASS batch bodies", () => {
  it("tells JSON arrays from NDJSON by media type, and refuses others", () => {
    expect(batchMediaType(req("", "application/json; charset=utf-8"))).toBe("json");
    expect(batchMediaType(req("", "application/merge+json"))).toBe("json");
    expect(batchMediaType(req("", "application/x-ndjson"))).toBe("ndjson");
    expect(batchMediaType(req("", "Application/JSONL"))).toBe("ndjson");
    expect(() => batchMediaType(req("", "text/plain"))).toThrow(AppError);
  });

  it("reads NDJSON a line a document: CRLF and blank lines are fine, a broken line is that document's problem", async () => {
    const entries = await readMassBatch(req('{"a":1}\r\n\n  \nnot json\n[1]\n', "application/x-ndjson"));
    expect(entries).toEqual([
      { index: 0, value: { a: 1 } },
      { index: 1, problem: { pointer: "", detail: "is not valid JSON", code: "invalid_json", layer: "structural" } },
      { index: 2, value: [1] },
    ]);
  });

  it("refuses a batch that is not an array, is empty, or holds more than 1,000 documents", async () => {
    expect(await refusal(readMassBatch(req('{"items":[]}', "application/json")))).toMatchObject({
      code: "validation_failed",
      errors: [{ code: "invalid_type" }],
    });
    expect(await refusal(readMassBatch(req("[]", "application/json")))).toMatchObject({
      errors: [{ code: "empty_batch" }],
    });
    expect(await refusal(readMassBatch(req("\n\n", "application/x-ndjson")))).toMatchObject({
      errors: [{ code: "empty_batch" }],
    });
    expect(await refusal(readMassBatch(req(JSON.stringify(Array(1001).fill({})), "application/json")))).toMatchObject({
      errors: [{ code: "too_many_items" }],
    });
    expect(await refusal(readMassBatch(req(Array(1001).fill("{}").join("\n"), "application/x-ndjson")))).toMatchObject({
      errors: [{ code: "too_many_items" }],
    });
    expect((await readMassBatch(req(JSON.stringify(Array(1000).fill({})), "application/json"))).length).toBe(1000);
    expect(await refusal(readMassBatch(req("[{", "application/json")))).toMatchObject({ code: "bad_request" });
  });
});
