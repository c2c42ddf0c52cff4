// Traffic for the reliability scenarios: MASS ingests with unique or replayed idempotency keys,
// credentials, a steady-rate driver and latency statistics.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { signIn } from "../support/sign-in";
import { send, type Answer } from "./http-client";

const example = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8")) as {
  request: Record<string, unknown>;
};

// Idle pooled sockets are closed after 20 s, before a proxy's own idle timeout (HAProxy's
// `timeout http-keep-alive` is 30 s in deploy/haproxy): a socket is not reused as the proxy closes it.
export const keepAlive = (sockets: number) => new http.Agent({ keepAlive: true, maxSockets: sockets, timeout: 20_000 });

export type IngestRecord = { key: string; replay: boolean; retry: boolean; answer: Answer };

/** POST /api/v1/mass/generate traffic that remembers every key, body and answer. */
export class Ingestor {
  readonly records: IngestRecord[] = [];
  private readonly bodies = new Map<string, string>();
  private readonly accepted: string[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly agent: http.Agent | false,
    private readonly prefix = `rel-${randomUUID().slice(0, 8)}`,
  ) {}

  /** A new request under a key never used before. */
  async unique(): Promise<IngestRecord> {
    const key = `${this.prefix}-${randomUUID()}`;
    const doc = structuredClone(example);
    doc.request.idempotency_key = key;
    doc.request.request_id = key;
    this.bodies.set(key, JSON.stringify(doc));
    return this.post(key, false, false);
  }

  /** The same body under a key that was already answered 201: must come back as a replay. */
  async replay(): Promise<IngestRecord | null> {
    if (this.accepted.length === 0) return null;
    return this.post(this.accepted[Math.floor(Math.random() * this.accepted.length)]!, true, false);
  }

  /** The same request again (a client retrying after a 503 or no answer). */
  retry(key: string): Promise<IngestRecord> {
    return this.post(key, false, true);
  }

  /** Retries each key (a few at a time) until it is answered 201 or `timeoutMs` passes; the last answer of each. */
  async retryUntilAccepted(keys: string[], concurrency = 8, timeoutMs = 30_000): Promise<IngestRecord[]> {
    const out: IngestRecord[] = [];
    const queue = [...keys];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
          const end = Date.now() + timeoutMs;
          let last = await this.retry(key);
          while (last.answer.status !== 201 && Date.now() < end) {
            await sleep(500);
            last = await this.retry(key);
          }
          out.push(last);
        }
      }),
    );
    return out;
  }

  /** Keys whose last answer was 201 (new or replayed). */
  acceptedKeys(): Set<string> {
    return new Set(this.records.filter((r) => r.answer.status === 201).map((r) => r.key));
  }

  /** Every key sent so far. */
  sentKeys(): number {
    return this.bodies.size;
  }

  /** Keys never answered 201. */
  unansweredKeys(): string[] {
    const ok = this.acceptedKeys();
    return [...this.bodies.keys()].filter((k) => !ok.has(k));
  }

  private async post(key: string, replay: boolean, retry: boolean): Promise<IngestRecord> {
    const answer = await send(`${this.baseUrl}/api/v1/mass/generate`, {
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${this.token}` },
      body: this.bodies.get(key)!,
      agent: this.agent,
    });
    const record = { key, replay, retry, answer };
    this.records.push(record);
    if (answer.status === 201 && !replay && !retry) this.accepted.push(key);
    return record;
  }
}

export async function accessToken(baseUrl: string, email: string, password: string): Promise<string> {
  const a = await send(`${baseUrl}/api/v1/auth/token`, {
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
    agent: false,
  });
  if (a.status !== 200) throw new Error(`sign-in: ${a.status} ${a.body}`);
  return (JSON.parse(a.body) as { access_token: string }).access_token;
}

/** An admin API token (does not expire during a long soak, unlike the 15-minute JWT). */
export async function apiToken(baseUrl: string, email: string, password: string): Promise<string> {
  const jwt = await accessToken(baseUrl, email, password);
  const a = await send(`${baseUrl}/api/v1/tokens`, {
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${jwt}` },
    body: JSON.stringify({ name: "reliability", role: "admin", tenant_ids: [] }),
    agent: false,
  });
  if (a.status !== 201) throw new Error(`token: ${a.status} ${a.body}`);
  return (JSON.parse(a.body) as { secret: string }).secret;
}

/** A browser session cookie, for the pages. */
export function sessionCookie(baseUrl: string, email: string, password: string): Promise<string> {
  return signIn(baseUrl, email, password);
}

/**
 * Calls `fire` `perSecond` times a second until `until` (open loop: latency does not slow the
 * offered rate), with at most `maxInFlight` outstanding; returns how many ticks found it full.
 */
export async function atRate(
  perSecond: number,
  until: () => boolean,
  maxInFlight: number,
  fire: () => Promise<unknown>,
): Promise<{ fired: number; skipped: number }> {
  const inFlight = new Set<Promise<unknown>>();
  let fired = 0;
  let skipped = 0;
  const started = performance.now();
  while (!until()) {
    const due = Math.floor(((performance.now() - started) / 1000) * perSecond);
    while (fired + skipped < due) {
      if (inFlight.size >= maxInFlight) {
        skipped++;
        continue;
      }
      fired++;
      const p: Promise<unknown> = fire().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inFlight);
  return { fired, skipped };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value other than null, or throws after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | null>,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
