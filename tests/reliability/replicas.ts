// Three production replicas behind a real load balancer (HAProxy, with the shipped
// deploy/haproxy/haproxy.cfg), sharing one PostgreSQL and one Redis, as a fleet runs them. Proves:
// a token or session issued by one replica works on the others; an idempotency key replayed on
// another replica (or sent to all three at once) gets the original answer and is stored once; rate
// limits hold across replicas (one counter); under mixed traffic the load is spread with no 5xx,
// exactly one sealer links the audit chain at a time (no fork, no gap) and it verifies, and each
// recommendation job is answered once; a replica SIGKILLed mid-load loses no acknowledged write and
// clients retrying on the others get the original answers; a rolling restart of all three answers
// every request.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { Redis } from "ioredis";
import { countByStatus, formatCounts, send, statusLabel, type Answer } from "./http-client";
import { accessToken, apiToken, atRate, eventually, keepAlive, percentile, sessionCookie, sleep } from "./load";
import { startFakeBiocore } from "./fake-biocore";
import { ADMIN_EMAIL, AUDIT_HMAC_KEY, freePort, serverEnv, sql, startServer, type Server } from "./processes";
import { check, type Check, type ScenarioResult } from "./report";

export type ReplicasOptions = {
  adminUrl: string; // a PostgreSQL server on which the scenario creates (and drops) its database
  redisUrl: string; // a Redis server; the scenario uses (and empties) database 9 on it
  mixedSeconds: number; // mixed traffic through the balancer
  ingestPerSecond: number;
  readsPerSecond: number;
  killLoadSeconds: number; // load around the SIGKILL of one replica
  restartLoadPerSecond: number; // requests per second during the rolling restart
  log?: (line: string) => void;
};

const PASSWORD = "Reliability-replicas-1";
const TENANT = "acme-cloud"; // the tenant of lib/mass/examples/enterprise-request.json
const REDIS_DB = 9;
const LOGIN_LIMIT = 60;
const example = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8")) as {
  request: Record<string, unknown>;
};

/** The HAProxy binary: PATH, or Debian's location (`apt-get install haproxy`). */
export function haproxyBinary(): string | null {
  for (const candidate of ["haproxy", "/usr/sbin/haproxy"]) {
    if (spawnSync(candidate, ["-v"], { encoding: "utf8" }).status === 0) return candidate;
  }
  return null;
}

type Proxy = { url: string; child: ChildProcess; output: string[]; stop: () => Promise<void> };

/** HAProxy on deploy/haproxy/haproxy.cfg, unchanged: the addresses come from its environment. */
async function startProxy(binary: string, port: number, replicaPorts: number[]): Promise<Proxy> {
  const env = {
    ...process.env,
    PIB_PROXY_BIND: `127.0.0.1:${port}`,
    ...Object.fromEntries(replicaPorts.map((p, i) => [`PIB_REPLICA_${i + 1}`, `127.0.0.1:${p}`])),
  };
  // -db: foreground, no daemon; stopped with SIGTERM (immediate) at the end.
  const child = spawn(binary, ["-db", "-f", "deploy/haproxy/haproxy.cfg"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const keep = (c: Buffer) => output.push(...c.toString().split("\n").filter(Boolean));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    "HAProxy to answer",
    async () => {
      if (child.exitCode !== null) throw new Error(`haproxy exited ${child.exitCode}: ${output.join("\n")}`);
      const a = await send(`${url}/api/health`, { agent: false, timeoutMs: 2_000 });
      return a.status === 200 ? true : null;
    },
    30_000,
    100,
  );
  return {
    url,
    child,
    output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await gone;
    },
  };
}

function ingestBody(key: string): string {
  const doc = structuredClone(example);
  doc.request.idempotency_key = key;
  doc.request.request_id = key;
  return JSON.stringify(doc);
}

/** The original answer: the same status and the same bytes. */
function sameAnswer(a: Answer, b: Answer): boolean {
  return a.status === b.status && a.body === b.body;
}

export async function runReplicas(o: ReplicasOptions): Promise<ScenarioResult> {
  const log = o.log ?? (() => undefined);
  const checks: Check[] = [];
  const figures: [string, string][] = [];
  const binary = haproxyBinary();
  if (!binary) {
    check(checks, "HAProxy is installed (apt-get install haproxy; .ci/run installs it)", false, "haproxy not found");
    return { scenario: "Three replicas behind HAProxy", checks, figures };
  }
  const name = `pib_replicas_${randomBytes(4).toString("hex")}`;
  await sql(o.adminUrl, `create database "${name}"`);
  const dbUrl = new URL(o.adminUrl);
  dbUrl.pathname = `/${name}`;
  const databaseUrl = dbUrl.toString();
  const redisUrl = new URL(o.redisUrl);
  redisUrl.pathname = `/${REDIS_DB}`;
  const redis = new Redis(redisUrl.toString(), { maxRetriesPerRequest: 1 });
  await redis.flushdb();
  const biocore = await startFakeBiocore(20);
  const ports = [await freePort(), await freePort(), await freePort()];
  const proxyPort = await freePort();
  const lb = `http://127.0.0.1:${proxyPort}`;
  // What every replica shares: the database, Redis, the signing and audit keys, the public URL.
  const shared = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl.toString(),
    AUTH_SECRET: randomBytes(48).toString("base64url"),
    AUDIT_HMAC_KEY,
    NEXTAUTH_URL: lb,
    TRUST_PROXY: "1",
    ADMIN_PASSWORD: PASSWORD,
    BIOCORE_URL: biocore.url,
    BIOCORE_WORKER_POLL_MS: "200",
    BIOCORE_JOB_RETRY_BASE_MS: "500",
    // A job held by the replica that is killed comes back to the others quickly.
    BIOCORE_JOB_LEASE_SECONDS: "8",
    RATE_LIMIT_LOGIN_PER_IP: String(LOGIN_LIMIT),
    VERIFY_WORKER: "false",
  };
  const envOf = (i: number) => {
    const env = serverEnv(ports[i]!, shared);
    env.REDIS_URL = shared.REDIS_URL; // serverEnv leaves Redis out for single-server scenarios
    return env;
  };
  const replicas: Server[] = [];
  let proxy: Proxy | null = null;
  const t0 = performance.now();
  try {
    log("starting replica 1 (migrates the database, creates the admin), then 2 and 3");
    replicas[0] = await startServer(envOf(0));
    [replicas[1], replicas[2]] = await Promise.all([startServer(envOf(1)), startServer(envOf(2))]);
    proxy = await startProxy(binary, proxyPort, ports);
    figures.push(["three replicas and HAProxy up", `${((performance.now() - t0) / 1000).toFixed(1)} s`]);
    const direct = (i: number) => replicas[i]!.baseUrl;

    // --- Credentials issued by one replica work on the others --------------------------------
    // Sign-ins so far (each draws on the address's sign-in budget, checked at the end).
    let signIns = 0;
    const jwt = await accessToken(direct(0), ADMIN_EMAIL, PASSWORD);
    signIns++;
    const jwtAnswers = await Promise.all(
      [1, 2].map((i) =>
        send(`${direct(i)}/api/v1/kpi?tenant_id=${TENANT}`, {
          headers: { Authorization: `Bearer ${jwt}` },
          agent: false,
        }),
      ),
    );
    check(
      checks,
      "an access token (JWT) issued by replica 1 is accepted by replicas 2 and 3",
      jwtAnswers.every((a) => a.status === 200),
      jwtAnswers.map(statusLabel).join(", "),
    );
    const cookie = await sessionCookie(direct(1), ADMIN_EMAIL, PASSWORD);
    signIns++;
    const pages = await Promise.all(
      [0, 2].map((i) => send(`${direct(i)}/`, { headers: { Cookie: cookie }, agent: false })),
    );
    check(
      checks,
      "a browser session signed in on replica 2 opens the overview on replicas 1 and 3",
      pages.every((a) => a.status === 200),
      pages.map(statusLabel).join(", "),
    );
    const token = await apiToken(direct(2), ADMIN_EMAIL, PASSWORD);
    signIns++;
    const tokenAnswers = await Promise.all(
      [0, 1].map((i) =>
        send(`${direct(i)}/api/v1/kpi?tenant_id=${TENANT}`, {
          headers: { Authorization: `Bearer ${token}` },
          agent: false,
        }),
      ),
    );
    check(
      checks,
      "an API token created on replica 3 is accepted by replicas 1 and 2",
      tokenAnswers.every((a) => a.status === 200),
      tokenAnswers.map(statusLabel).join(", "),
    );
    const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const post = (base: string, key: string, agent: http.Agent | false = false) =>
      send(`${base}/api/v1/mass/generate`, { headers: auth, body: ingestBody(key), agent });

    // --- Idempotency across replicas ---------------------------------------------------------
    const k1 = `replicas-${randomUUID()}`;
    const first = await post(direct(0), k1);
    const again = await Promise.all([post(direct(1), k1), post(direct(2), k1)]);
    check(
      checks,
      "a key answered by replica 1 is replayed by replicas 2 and 3 with the original answer",
      first.status === 201 && again.every((a) => sameAnswer(a, first) && a.headers["idempotent-replayed"] === "true"),
      `${statusLabel(first)}; replays ${again.map((a) => `${statusLabel(a)} replayed=${a.headers["idempotent-replayed"] ?? "-"} same=${sameAnswer(a, first)}`).join(", ")}`,
    );
    const k2 = `replicas-${randomUUID()}`;
    const race = await Promise.all([0, 1, 2].map((i) => post(direct(i), k2)));
    const [stored2] = await sql<{ n: number }>(
      databaseUrl,
      "select count(*)::int as n from mass_request where idempotency_key = $1",
      [k2],
    );
    check(
      checks,
      "one key sent to all three replicas at once: stored once, all three answers the same",
      stored2!.n === 1 &&
        race.every((a) => a.status === 201 && sameAnswer(a, race[0]!)) &&
        race.filter((a) => a.headers["idempotent-replayed"] !== "true").length === 1,
      `stored ${stored2!.n}; ${race.map((a) => `${statusLabel(a)} replayed=${a.headers["idempotent-replayed"] ?? "-"}`).join(", ")}`,
    );

    // --- Mixed traffic through the balancer --------------------------------------------------
    const mixed: { kind: string; answer: Answer }[] = [];
    const accepted: string[] = [];
    const agent = keepAlive(24);
    const mixedEnd = Date.now() + o.mixedSeconds * 1000;
    const until = () => Date.now() >= mixedEnd;
    log(`mixed traffic for ${o.mixedSeconds} s`);
    await Promise.all([
      atRate(o.ingestPerSecond, until, 32, async () => {
        const replay = accepted.length > 0 && Math.random() < 0.2;
        const key = replay ? accepted[Math.floor(Math.random() * accepted.length)]! : `replicas-${randomUUID()}`;
        const answer = await post(lb, key, agent);
        if (answer.status === 201 && !replay) accepted.push(key);
        mixed.push({ kind: replay ? "replay" : "ingest", answer });
      }),
      atRate(o.readsPerSecond, until, 16, async () => {
        const path =
          Math.random() < 0.5 ? `/api/v1/kpi?tenant_id=${TENANT}` : `/api/v1/kpi/trends?tenant_id=${TENANT}&period=12m`;
        mixed.push({ kind: "read", answer: await send(`${lb}${path}`, { headers: auth, agent }) });
      }),
      // Verification seals first: several replicas seal at once, and the background sealers too.
      atRate(0.5, until, 3, async () => {
        mixed.push({ kind: "verify", answer: await send(`${lb}/api/v1/audit/verify`, { headers: auth, agent }) });
      }),
    ]);
    const byReplica: Record<string, number> = {};
    for (const m of mixed)
      byReplica[String(m.answer.headers["x-served-by"] ?? "none")] =
        (byReplica[String(m.answer.headers["x-served-by"] ?? "none")] ?? 0) + 1;
    const latencies = mixed.filter((m) => m.kind === "ingest").map((m) => m.answer.ms);
    figures.push(
      ["mixed traffic: answers", formatCounts(countByStatus(mixed.map((m) => m.answer)))],
      [
        "mixed traffic: answered by",
        Object.entries(byReplica)
          .sort()
          .map(([k, v]) => `${k} ${v}`)
          .join(", "),
      ],
      [
        "mixed traffic: ingest p50 / p99",
        `${percentile(latencies, 0.5).toFixed(0)} / ${percentile(latencies, 0.99).toFixed(0)} ms`,
      ],
    );
    check(
      checks,
      "mixed traffic through HAProxy: every request answered 200/201, no 5xx",
      mixed.every((m) => m.answer.status === 200 || m.answer.status === 201),
      formatCounts(countByStatus(mixed.map((m) => m.answer))),
    );
    check(
      checks,
      "the balancer spread the load over all three replicas",
      ["r1", "r2", "r3"].every((r) => (byReplica[r] ?? 0) > 0),
      JSON.stringify(byReplica),
    );
    const verifies = mixed.filter((m) => m.kind === "verify");
    check(
      checks,
      "every verification during the load found the chain intact",
      verifies.length > 0 &&
        verifies.every((m) => m.answer.status === 200 && (JSON.parse(m.answer.body) as { ok: boolean }).ok),
      `${verifies.length} verifications`,
    );

    // --- SIGKILL one replica mid-load; clients retry on the others ---------------------------
    const acknowledged = new Map<string, Answer>(); // key → the first 201 a client got
    const retried = new Set<string>();
    const sent = new Set<string>();
    const failedFirst: Answer[] = [];
    let killAt = 0;
    let inFlightAtKill: string[] = [];
    const killEnd = Date.now() + o.killLoadSeconds * 1000;
    const ingestWithRetries = async () => {
      const key = `replicas-kill-${randomUUID()}`;
      sent.add(key);
      const deadline = Date.now() + 60_000;
      let answer = await post(lb, key, agent);
      if (answer.status !== 201) failedFirst.push(answer);
      while (answer.status !== 201 && Date.now() < deadline) {
        retried.add(key);
        await sleep(250);
        answer = await post(lb, key, agent);
      }
      if (answer.status === 201) acknowledged.set(key, answer);
    };
    log("load, then SIGKILL of replica 3");
    const killLoad = atRate(o.ingestPerSecond, () => Date.now() >= killEnd, 32, ingestWithRetries);
    await sleep((o.killLoadSeconds * 1000) / 3);
    // Requests provably in flight on replica 3 when it dies: sent to it directly (as a balancer
    // would have), their clients see the connection reset and retry through the balancer.
    const onVictim = Array.from({ length: 4 }, async () => {
      const key = `replicas-kill-${randomUUID()}`;
      sent.add(key);
      const first = await post(direct(2), key);
      if (first.status === 201) return void acknowledged.set(key, first);
      failedFirst.push(first);
      retried.add(key);
      let answer = first;
      for (const deadline = Date.now() + 60_000; answer.status !== 201 && Date.now() < deadline;) {
        await sleep(250);
        answer = await post(lb, key, agent);
      }
      if (answer.status === 201) acknowledged.set(key, answer);
    });
    await sleep(5);
    killAt = Date.now();
    replicas[2]!.child.kill("SIGKILL");
    await Promise.all(onVictim);
    inFlightAtKill = (
      await sql<{ id: string }>(databaseUrl, "select id::text from recommendation_job where status = 'running'")
    ).map((r) => r.id);
    await killLoad;
    const answeredAfterKill = [...acknowledged.values()].filter((a) => a.startedAt >= killAt).length;
    figures.push(
      [
        "SIGKILL phase: requests acknowledged (after retries)",
        `${acknowledged.size} (${answeredAfterKill} sent after the kill)`,
      ],
      [
        "SIGKILL phase: first answers that were not 201 (client retried)",
        failedFirst.length ? formatCounts(countByStatus(failedFirst)) : "none",
      ],
    );
    check(
      checks,
      "SIGKILL phase: every request was eventually acknowledged (201) by the remaining replicas",
      acknowledged.size > 0 && [...sent].every((k) => acknowledged.has(k)),
      `${sent.size} sent, ${retried.size} retried, ${[...sent].filter((k) => !acknowledged.has(k)).length} never acknowledged`,
    );
    const keys = [...acknowledged.keys(), ...accepted];
    const storedRows = await sql<{ key: string; n: number }>(
      databaseUrl,
      "select idempotency_key as key, count(*)::int as n from mass_request where idempotency_key = any($1::text[]) group by 1",
      [keys],
    );
    const storedMap = new Map(storedRows.map((r) => [r.key, r.n]));
    const missing = keys.filter((k) => storedMap.get(k) !== 1);
    check(
      checks,
      "no acknowledged write lost or stored twice (mixed and SIGKILL phases)",
      missing.length === 0,
      `${keys.length} acknowledged, ${missing.length} missing or duplicated`,
    );
    const replays = await Promise.all(
      [...acknowledged.entries()].map(async ([key, original]) => ({ original, again: await post(lb, key, agent) })),
    );
    const differing = replays.filter((r) => !sameAnswer(r.again, r.original));
    check(
      checks,
      "after the kill, every acknowledged key sent again gets its original answer",
      differing.length === 0,
      `${replays.length} resent, ${differing.length} differ`,
    );

    // --- Rolling restart of all three under load ---------------------------------------------
    log("restarting replica 3, then a rolling restart of all three under load");
    replicas[2] = await startServer(envOf(2));
    await eventually(
      "HAProxy to send requests to replica 3 again",
      async () => ((await send(`${lb}/api/health`, { agent: false })).headers["x-served-by"] === "r3" ? true : null),
      30_000,
      50,
    );
    const rolling: Answer[] = [];
    let restarting = true;
    const restartLoad = atRate(
      o.restartLoadPerSecond,
      () => !restarting,
      32,
      async () => {
        const answer =
          Math.random() < 0.5
            ? await post(lb, `replicas-roll-${randomUUID()}`, agent)
            : await send(`${lb}/api/v1/kpi?tenant_id=${TENANT}`, { headers: auth, agent });
        rolling.push(answer);
      },
    );
    const restartSeconds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const code = await replicas[i]!.stop();
      replicas[i] = await startServer(envOf(i));
      await eventually(
        `HAProxy to send requests to replica ${i + 1} again`,
        async () =>
          (await send(`${lb}/api/health`, { agent: false })).headers["x-served-by"] === `r${i + 1}` ? true : null,
        30_000,
        50,
      );
      restartSeconds.push((performance.now() - t) / 1000);
      check(
        checks,
        `rolling restart: replica ${i + 1} stopped cleanly (exit 0) and came back`,
        code === 0,
        `exit ${code}`,
      );
    }
    restarting = false;
    await restartLoad;
    figures.push(
      ["rolling restart: answers", formatCounts(countByStatus(rolling))],
      [
        "rolling restart: requests sent again after a reset on an idle pooled socket (never reached the proxy)",
        String(rolling.filter((a) => a.staleSocketRetried).length),
      ],
      [
        "rolling restart: seconds per replica (stop → back in rotation)",
        restartSeconds.map((s) => s.toFixed(1)).join(", "),
      ],
    );
    check(
      checks,
      "rolling restart of all three: every request answered, no 5xx",
      rolling.length > 0 && rolling.every((a) => a.status === 200 || a.status === 201),
      formatCounts(countByStatus(rolling)),
    );

    // --- Jobs, the audit chain and shared rate limits ----------------------------------------
    const jobs = await eventually(
      "every recommendation job done",
      async () => {
        const [j] = await sql<{ total: number; done: number; open: number }>(
          databaseUrl,
          "select count(*)::int as total, count(*) filter (where status = 'done')::int as done, count(*) filter (where status <> 'done')::int as open from recommendation_job",
        );
        return j!.open === 0 ? j! : null;
      },
      90_000,
      500,
    ).catch(() => null);
    check(
      checks,
      "every recommendation job is done (those of the killed replica taken over after the lease)",
      jobs !== null && jobs.done === jobs.total && jobs.total > 0,
      jobs ? `${jobs.done}/${jobs.total}` : "not all done within 90 s",
    );
    const answered = await sql<{ id: string; n: number }>(
      databaseUrl,
      "select j.id::text, count(c.id)::int as n from recommendation_job j left join biocore_call c on c.job_id = j.id and c.outcome <> 'error' group by j.id",
    );
    const killed = new Set(inFlightAtKill);
    const twice = answered.filter((r) => r.n > 1);
    const wrong = answered.filter((r) => (killed.has(r.id) ? r.n < 1 || r.n > 2 : r.n !== 1));
    figures.push(
      ["recommendation jobs / BioCore recommend calls received", `${answered.length} / ${biocore.recommendCalls()}`],
      ["jobs in flight when the replica was killed / answered twice", `${killed.size} / ${twice.length}`],
    );
    check(
      checks,
      "each recommendation job answered exactly once (a job in flight on the killed replica: at most twice)",
      wrong.length === 0,
      `${wrong.length} jobs off: ${wrong
        .slice(0, 3)
        .map((r) => `${r.id} ×${r.n}`)
        .join(", ")}`,
    );

    const verified = spawnSync(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", "scripts/audit-verify.ts"],
      { env: { ...envOf(0), DATABASE_URL: databaseUrl }, encoding: "utf8" },
    );
    const [chain] = await sql<{ forks: number; max: string | null; sealed: string; unsealed: number }>(
      databaseUrl,
      `select (select count(*) from (select prev_hash from audit_event where prev_hash is not null group by prev_hash having count(*) > 1) d)::int as forks,
              (select max(chain_pos) from audit_event)::text as max,
              (select count(*) from audit_event where chain_pos is not null)::text as sealed,
              (select count(*) from audit_event where hash is null)::int as unsealed`,
    );
    figures.push(["audit events sealed by the three replicas' sealers", chain!.sealed]);
    check(
      checks,
      "one sealer at a time: the chain has no fork and no gap (positions 1..n)",
      chain!.forks === 0 && chain!.max === chain!.sealed,
      `forks ${chain!.forks}, max position ${chain!.max}, sealed ${chain!.sealed}`,
    );
    check(
      checks,
      "`npm run audit:verify` finds the chain intact",
      verified.status === 0,
      `exit ${verified.status}: ${(verified.stdout + verified.stderr).split("\n").filter(Boolean).slice(-2).join(" ")}`,
    );

    // Last, as it uses up the sign-in budget of this address: failed sign-ins sent in turn to the
    // three replicas draw on one counter in Redis. Per-replica counters would let about three times
    // the budget through; the shared one lets exactly what is left of it (the limit less the
    // sign-ins above), then every replica refuses.
    const attempts: { replica: number; answer: Answer }[] = [];
    for (let i = 0; i < LOGIN_LIMIT * 3 && attempts.filter((a) => a.answer.status === 429).length < 3; i++) {
      const replica = i % 3;
      const answer = await send(`${direct(replica)}/api/v1/auth/token`, {
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: `limit-${i}@replicas.test`, password: "wrong-password" }),
        agent: false,
      });
      attempts.push({ replica, answer });
    }
    const firstRefusal = attempts.findIndex((a) => a.answer.status === 429);
    const before429 = firstRefusal < 0 ? attempts : attempts.slice(0, firstRefusal);
    const refusedBy = new Set(attempts.filter((a) => a.answer.status === 429).map((a) => a.replica));
    figures.push([
      `sign-in limit ${LOGIN_LIMIT} per address: failed sign-ins answered before the first 429 (${signIns} sign-ins earlier)`,
      String(before429.length),
    ]);
    check(
      checks,
      "sign-in rate limit shared: the budget left is spent across the three replicas together, then all three refuse",
      before429.length === LOGIN_LIMIT - signIns &&
        before429.every((a) => a.answer.status === 401) &&
        refusedBy.size === 3,
      `${before429.length} answered 401 before a 429 (expected ${LOGIN_LIMIT - signIns}); refused by replicas ${[
        ...refusedBy,
      ]
        .map((r) => r + 1)
        .sort()
        .join(",")}`,
    );
    return { scenario: "Three replicas behind HAProxy", checks, figures };
  } finally {
    await proxy?.stop().catch(() => undefined);
    await Promise.all(replicas.map((r) => r?.stop().catch(() => null)));
    await biocore.close();
    await redis.flushdb().catch(() => undefined);
    redis.disconnect();
    await sql(o.adminUrl, `drop database if exists "${name}" with (force)`).catch(() => undefined);
  }
}
