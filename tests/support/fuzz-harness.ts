// What every fuzzed answer must satisfy, and the means to check it: a dedicated app server (rate
// limits out of the way, the verification worker off so nothing writes on its own), the row counts
// of every product table, and the RFC 9457 shape of error answers.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { ProblemSchema } from "@/lib/openapi/common";
import { startAppServer, type AppServer } from "./app-server";

export const FUZZ_RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 6));

export async function startFuzzServer(): Promise<AppServer> {
  return startAppServer({
    RATE_LIMIT_API_PER_MINUTE: "1000000",
    RATE_LIMIT_IP_PER_MINUTE: "1000000",
    RATE_LIMIT_LOGIN_PER_IP: "1000000",
    RATE_LIMIT_LOGIN_FREE_FAILURES: "1000000",
    RATE_LIMIT_LOGIN_ACCOUNT_THROTTLE: "1000000",
    VERIFY_WORKER: "false",
    // A job that fails is not retried later, when it could write in the middle of another case.
    BIOCORE_JOB_MAX_ATTEMPTS: "1",
    DATASET_MAX_BYTES: String(8 * 1024 * 1024),
    LOG_LEVEL: "error",
  });
}

function freshIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export type FuzzRequest = {
  method: string;
  path: string;
  token?: string;
  contentType?: string | null;
  body?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
};

export async function send(
  baseUrl: string,
  r: FuzzRequest,
): Promise<{ status: number; contentType: string; text: string }> {
  const headers: Record<string, string> = { "X-Forwarded-For": freshIp(), ...r.headers };
  if (r.token) headers.Authorization = `Bearer ${r.token}`;
  if (r.contentType) headers["Content-Type"] = r.contentType;
  const res = await fetch(`${baseUrl}${r.path}`, {
    method: r.method,
    headers,
    body: r.method === "GET" || r.body === undefined ? undefined : r.body,
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
}

/** Why an answer breaks the properties, or null: no 5xx; every 4xx a problem+json naming its problems. */
export function answerViolation(a: { status: number; contentType: string; text: string }): string | null {
  if (a.status >= 500) return `${a.status}: ${a.text.slice(0, 300)}`;
  if (a.status < 400) return null;
  if (!a.contentType.startsWith("application/problem+json"))
    return `${a.status} answered as ${a.contentType || "no content type"}`;
  let body: unknown;
  try {
    body = JSON.parse(a.text);
  } catch {
    return `${a.status}: the problem is not JSON: ${a.text.slice(0, 200)}`;
  }
  const parsed = ProblemSchema.safeParse(body);
  if (!parsed.success)
    return `${a.status}: not an RFC 9457 problem: ${JSON.stringify(parsed.error.issues).slice(0, 300)}`;
  const p = parsed.data;
  if (p.status !== a.status) return `problem status ${p.status} on a ${a.status} answer`;
  if (!p.detail.trim() || !p.title.trim()) return `${a.status}: the problem has no detail or title`;
  if (a.status === 422 && (!p.errors || p.errors.length === 0)) return `422 without the list of problems: ${p.detail}`;
  return null;
}

/** Row counts of every table but the migrations', plus the audit trail's last sequence number. */
export class TableCounts {
  private tables: string[] = [];
  constructor(private readonly db: pg.Client) {}

  async init(): Promise<void> {
    const { rows } = await this.db.query<{ t: string }>(
      "select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> '_prisma_migrations' order by 1",
    );
    this.tables = rows.map((r) => r.t).filter((t) => t !== "audit_event");
  }

  async snapshot(): Promise<{ counts: Record<string, number>; auditSeq: string }> {
    const sql = [
      `select 'audit_event' as t, coalesce(max(seq), 0)::text as n from audit_event`,
      ...this.tables.map((t) => `select '${t}', count(*)::text from "${t}"`),
    ].join(" union all ");
    const { rows } = await this.db.query<{ t: string; n: string }>(sql);
    const counts: Record<string, number> = {};
    let auditSeq = "0";
    for (const r of rows) {
      if (r.t === "audit_event") auditSeq = r.n;
      else counts[r.t] = Number(r.n);
    }
    return { counts, auditSeq };
  }

  /**
   * What a refused request left behind, or null. Refusals are audited (access.denied,
   * auth.login_failed, dataset.refused, a failed mv.run): new audit events are allowed only
   * with the result `denied` or `error`.
   */
  async leftovers(before: { counts: Record<string, number>; auditSeq: string }): Promise<string | null> {
    const after = await this.snapshot();
    const changed = Object.keys(after.counts).filter((t) => after.counts[t] !== before.counts[t]);
    const { rows } = await this.db.query<{ action: string; result: string }>(
      "select action, result from audit_event where seq > $1 and result not in ('denied', 'error')",
      [before.auditSeq],
    );
    const problems = [
      ...changed.map((t) => `${t}: ${before.counts[t]} → ${after.counts[t]} rows`),
      ...rows.map((r) => `audit event ${r.action} (${r.result})`),
    ];
    return problems.length ? problems.join("; ") : null;
  }
}

/** Waits until the recommendation worker has no job left to run (after an accepted ingest). */
export async function recommendationQueueIdle(db: pg.Client, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ n: number }>(
      "select count(*)::int as n from recommendation_job where status in ('pending', 'running')",
    );
    if (rows[0]!.n === 0) return;
    if (Date.now() > until) throw new Error(`${rows[0]!.n} recommendation jobs still queued after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
