// One HTTP request with a hard client-side deadline: a request that takes longer counts as a hang.
// Plain node:http (not fetch) so connection errors stay distinguishable (refused, reset, timeout).
import http from "node:http";

export type Answer = {
  status: number; // 0 when no HTTP answer came back
  headers: http.IncomingHttpHeaders;
  body: string;
  bytes: number;
  startedAt: number; // Date.now() when sent
  ms: number;
  error: string | null; // "timeout", "ECONNREFUSED", "ECONNRESET", …
  // True when the first try went out on a pooled keep-alive socket that the other end had just
  // closed (reset before any answer) and was sent again on a fresh connection: see send().
  staleSocketRetried?: boolean;
};

export type SendOptions = {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  agent?: http.Agent | false;
  keepBody?: boolean;
};

export const CLIENT_TIMEOUT_MS = 15_000;

/**
 * Sends once; a request reset on a *reused* keep-alive socket before any answer byte is sent once
 * more on a fresh connection. That is the keep-alive race every HTTP client meets (the peer closes
 * an idle connection as a request goes out on it; the request never reached the server) and the
 * retry is what Node's documentation prescribes (`request.reusedSocket`) and what browsers do. A
 * reset on a fresh connection, or after an answer began, is reported as it is.
 */
export async function send(url: string, options: SendOptions = {}): Promise<Answer> {
  const first = await sendOnce(url, options);
  if (!first.resetOnReusedSocket) return first.answer;
  const again = await sendOnce(url, { ...options, agent: false });
  return { ...again.answer, staleSocketRetried: true };
}

function sendOnce(url: string, options: SendOptions): Promise<{ answer: Answer; resetOnReusedSocket: boolean }> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const done = (a: Omit<Answer, "startedAt" | "ms">): Answer => ({ ...a, startedAt, ms: performance.now() - t0 });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (a: Answer, resetOnReusedSocket = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ answer: a, resetOnReusedSocket });
    };
    const req = http.request(url, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers: options.headers,
      agent: options.agent,
    });
    const timer = setTimeout(() => {
      finish(done({ status: 0, headers: {}, body: "", bytes: 0, error: "timeout" }));
      req.destroy();
    }, options.timeoutMs ?? CLIENT_TIMEOUT_MS);
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on("data", (c: Buffer) => {
        bytes += c.length;
        if (options.keepBody !== false) chunks.push(c);
      });
      res.on("end", () =>
        finish(
          done({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
            bytes,
            error: null,
          }),
        ),
      );
      res.on("error", (e: NodeJS.ErrnoException) =>
        finish(done({ status: 0, headers: res.headers, body: "", bytes, error: `response ${e.code ?? e.message}` })),
      );
    });
    req.on("error", (e: NodeJS.ErrnoException) =>
      finish(
        done({ status: 0, headers: {}, body: "", bytes: 0, error: e.code ?? e.message }),
        !answered && req.reusedSocket && e.code === "ECONNRESET",
      ),
    );
    req.end(options.body);
  });
}

/** True for an RFC 9457 503 that tells the client when to come back. */
export function isRetryable503(a: Answer): boolean {
  return (
    a.status === 503 &&
    String(a.headers["content-type"] ?? "").startsWith("application/problem+json") &&
    /^\d+$/.test(String(a.headers["retry-after"] ?? ""))
  );
}

export function statusLabel(a: Answer): string {
  if (a.status !== 0) return String(a.status);
  return a.error === "timeout" ? "timeout" : `no answer (${a.error})`;
}

/** "201: 40, 503: 12, …" */
export function countByStatus(answers: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) out[statusLabel(a)] = (out[statusLabel(a)] ?? 0) + 1;
  return out;
}

export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
}
