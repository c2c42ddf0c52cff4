// One HTTP attempt against BioCore: headers and body within the attempt's signal and a size cap,
// then JSON, then the contract's zod schema. Every failure becomes a BioCoreCallError.
import type { z } from "zod";
import { BioCoreCallError } from "./call-error";
import { raceAbort } from "./deadline";
import { parseRetryAfter } from "./retry-after";

export interface AttemptRequest {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  /** Aborted by the attempt timeout, the call budget or the caller. */
  signal: AbortSignal;
  /** The caller's own signal, to tell an abort from a timeout. */
  callerSignal?: AbortSignal;
  maxBytes: number;
  fetchImpl: typeof fetch;
  /** Real time, to turn a Retry-After HTTP-date into a wait. */
  nowMs: number;
}

export interface AttemptAnswer<T> {
  status: number;
  value: T;
  cacheControl: string | null;
}

export async function sendAttempt<T>(req: AttemptRequest, schema: z.ZodType<T>): Promise<AttemptAnswer<T>> {
  try {
    return await raceAbort(exchange(req, schema), req.signal);
  } catch (error) {
    if (error instanceof BioCoreCallError) throw error;
    if (req.callerSignal?.aborted) throw new BioCoreCallError("aborted", "the caller cancelled the call");
    if (req.signal.aborted) throw new BioCoreCallError("timeout", "BioCore did not answer in time");
    throw new BioCoreCallError("network", networkMessage(error));
  }
}

async function exchange<T>(req: AttemptRequest, schema: z.ZodType<T>): Promise<AttemptAnswer<T>> {
  const res = await req.fetchImpl(req.url, {
    method: req.method,
    headers: req.headers,
    body: req.body,
    signal: req.signal,
    // A redirect is BioCore misbehaving, and must not steer the call elsewhere.
    redirect: "manual",
    cache: "no-store",
  });
  if (res.status < 200 || res.status > 299) {
    await res.body?.cancel().catch(() => undefined);
    const retryAfterMs =
      res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers.get("retry-after"), req.nowMs) : undefined;
    throw new BioCoreCallError("http", `BioCore answered HTTP ${res.status}`, res.status, retryAfterMs);
  }
  const text = await readBody(res, req.maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BioCoreCallError("invalid_json", "BioCore's answer is not JSON", res.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new BioCoreCallError(
      "invalid_schema",
      `BioCore's answer breaks the contract: ${issues.join("; ")}`,
      res.status,
    );
  }
  return { status: res.status, value: parsed.data, cacheControl: res.headers.get("cache-control") };
}

async function readBody(res: Response, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new BioCoreCallError("response_too_large", `BioCore's answer exceeds ${maxBytes} bytes`, res.status);
  const declared = Number(res.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  try {
    while (!done) {
      const next = await reader.read();
      done = next.done;
      if (next.value) {
        total += next.value.byteLength;
        if (total > maxBytes) throw tooLarge();
        chunks.push(next.value);
      }
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new BioCoreCallError("invalid_json", "BioCore's answer is not UTF-8", res.status);
  }
}

function networkMessage(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === "string" ? ` (${cause.code})` : "";
  return `BioCore could not be reached${code}`;
}
