// Soak: minutes of mixed traffic against a production server — MASS ingest at a steady rate with
// unique and replayed idempotency keys, dashboard reads (KPI and trend APIs, the overview page),
// CSV exports of observations and M&V report runs. Then: no 5xx, latency per minute, the server's
// memory, stored requests = distinct 201 answers, one audit event per state change, and an intact
// audit chain according to `npm run audit:verify`.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { demoWindowCsv } from "../support/demo-window";
import { countByStatus, formatCounts, send, statusLabel, type Answer } from "./http-client";
import { apiToken, atRate, Ingestor, keepAlive, percentile, sessionCookie, sleep } from "./load";
import { ADMIN_EMAIL, AUDIT_HMAC_KEY, freePort, serverEnv, sql, startServer } from "./processes";
import { check, type Check, type ScenarioResult } from "./report";

export type SoakOptions = {
  seconds: number;
  adminUrl: string; // a PostgreSQL server on which the soak creates (and drops) its database
  ingestPerSecond: number;
  replayShare: number; // share of ingests that replay an accepted key
  readsPerSecond: number; // KPI and trend API calls
  pageEverySeconds: number;
  exportEverySeconds: number;
  mvEverySeconds: number;
  log?: (line: string) => void;
};

type Sample = { kind: "ingest" | "replay" | "kpi" | "trends" | "page" | "export" | "mv"; answer: Answer };

const PASSWORD = "Reliability-soak-1";
const TENANT = "acme-cloud"; // the tenant of lib/mass/examples/enterprise-request.json
const BASELINE = { from: "2026-03-01T00:00:00Z", to: "2026-06-01T00:00:00Z" };
const REPORTING = { from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z" };

function rssMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

export async function runSoak(o: SoakOptions): Promise<ScenarioResult> {
  const log = o.log ?? (() => undefined);
  const checks: Check[] = [];
  const figures: [string, string][] = [];
  const name = `pib_reliability_${randomBytes(4).toString("hex")}`;
  await sql(o.adminUrl, `create database "${name}"`);
  const url = new URL(o.adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const port = await freePort();
  const server = await startServer(
    serverEnv(port, {
      DATABASE_URL: databaseUrl,
      ADMIN_PASSWORD: PASSWORD,
      DATASET_MAX_BYTES: String(64 * 1024 * 1024),
    }),
  );
  const base = server.baseUrl;
  try {
    const token = await apiToken(base, ADMIN_EMAIL, PASSWORD);
    const cookie = await sessionCookie(base, ADMIN_EMAIL, PASSWORD);
    const agent = keepAlive(32);
    const auth = { Authorization: `Bearer ${token}` };
    const ingest = new Ingestor(base, token, agent);

    // An M&V study over a demo window of site mad1 in the same tenant.
    const { csv } = demoWindowCsv(["mad1"], BASELINE.from, REPORTING.to);
    const upload = await send(
      `${base}/api/v1/datasets?${new URLSearchParams({ name: "reliability mad1", tenant_id: TENANT })}`,
      { headers: { ...auth, "Content-Type": "text/csv" }, body: csv, timeoutMs: 120_000 },
    );
    if (upload.status !== 201) throw new Error(`dataset upload: ${upload.status} ${upload.body}`);
    const versionId = (JSON.parse(upload.body) as { version: { id: string } }).version.id;
    const spec = {
      scope: { siteId: "mad1" },
      boundary: "cooling",
      source: { datasetVersionIds: [versionId], massUntil: null },
      baseline: BASELINE,
      reporting: REPORTING,
      granularity: "daily",
      model: { kind: "ols_it_cdd", balancePointC: null },
    };
    const created = await send(`${base}/api/v1/mv/studies`, {
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ tenant_id: TENANT, name: "reliability soak", spec }),
    });
    if (created.status !== 201) throw new Error(`study: ${created.status} ${created.body}`);
    const studyId = (JSON.parse(created.body) as { id: string }).id;

    const samples: Sample[] = [];
    const get = (kind: Sample["kind"], path: string, headers: Record<string, string> = auth) =>
      send(`${base}${path}`, { headers, agent, keepBody: kind !== "export" }).then((answer) =>
        samples.push({ kind, answer }),
      );
    const runMv = () =>
      send(`${base}/api/v1/mv/studies/${studyId}/runs`, { method: "POST", headers: auth, agent }).then((answer) =>
        samples.push({ kind: "mv", answer }),
      );

    // Warm-up (compiles nothing in production, but fills pools and caches), not measured.
    for (let i = 0; i < 10; i++) await ingest.unique();
    await Promise.all([get("kpi", `/api/v1/kpi?tenant_id=${TENANT}`), get("page", "/", { Cookie: cookie }), runMv()]);
    samples.length = 0;
    const warm = ingest.records.length;

    log(`soak: ${o.seconds} s`);
    const pid = server.child.pid!;
    // The machine's load average beside the server's memory: on a shared machine, a slow minute
    // may be someone else's build.
    const rss: { at: number; mb: number; load: number }[] = [{ at: 0, mb: rssMb(pid), load: loadavg()[0]! }];
    const started = Date.now();
    const end = started + o.seconds * 1000;
    const over = () => Date.now() >= end;
    const every = (seconds: number, fire: () => Promise<unknown>) => atRate(1 / seconds, over, 2, fire);
    const [ingestRun] = await Promise.all([
      atRate(o.ingestPerSecond, over, 64, () => (Math.random() < o.replayShare ? ingest.replay() : ingest.unique())),
      atRate(o.readsPerSecond, over, 16, () =>
        Math.random() < 0.5
          ? get("kpi", `/api/v1/kpi?tenant_id=${TENANT}`)
          : get("trends", `/api/v1/kpi/trends?tenant_id=${TENANT}&period=12m`),
      ),
      every(o.pageEverySeconds, () => get("page", "/", { Cookie: cookie })),
      every(o.exportEverySeconds, () =>
        get("export", `/api/v1/observations/export.csv?tenant_id=${TENANT}&period=12m`),
      ),
      every(o.mvEverySeconds, runMv),
      (async () => {
        while (!over()) {
          await sleep(5_000);
          rss.push({ at: (Date.now() - started) / 1000, mb: rssMb(pid), load: loadavg()[0]! });
          if (rss.length % 12 === 0)
            log(
              `soak: ${Math.round((Date.now() - started) / 1000)} s, ${ingest.records.length} ingests, RSS ${rss.at(-1)!.mb.toFixed(0)} MB`,
            );
        }
      })(),
    ]);
    rss.push({ at: (Date.now() - started) / 1000, mb: rssMb(pid), load: loadavg()[0]! });
    for (const r of ingest.records.slice(warm))
      samples.push({ kind: r.replay ? "replay" : "ingest", answer: r.answer });

    // Answers.
    const all = samples.map((s) => s.answer);
    const server5xx = samples.filter((s) => s.answer.status >= 500);
    const noAnswer = samples.filter((s) => s.answer.status === 0);
    const unexpected = samples.filter(
      (s) => s.answer.status !== 0 && s.answer.status !== 200 && s.answer.status !== 201,
    );
    const byKind = (k: Sample["kind"]) => samples.filter((s) => s.kind === k).map((s) => s.answer);
    figures.push(
      ["duration", `${o.seconds} s (${(o.seconds / 60).toFixed(1)} min)`],
      [
        "offered rates",
        `ingest ${o.ingestPerSecond}/s (${Math.round(o.replayShare * 100)} % replays), KPI/trends ${o.readsPerSecond}/s, overview page every ${o.pageEverySeconds} s, CSV export every ${o.exportEverySeconds} s, M&V run every ${o.mvEverySeconds} s`,
      ],
      [
        "requests",
        `${all.length} (${(["ingest", "replay", "kpi", "trends", "page", "export", "mv"] as const).map((k) => `${k} ${byKind(k).length}`).join(", ")})`,
      ],
      ["answers by status", formatCounts(countByStatus(all))],
      ["ingest ticks skipped (64 in flight)", String(ingestRun.skipped)],
    );
    check(
      checks,
      "zero 5xx answers",
      server5xx.length === 0,
      server5xx
        .slice(0, 3)
        .map((s) => `${s.kind} ${statusLabel(s.answer)} ${s.answer.body.slice(0, 100)}`)
        .join(" | "),
    );
    check(
      checks,
      "every request answered (no client timeout at 15 s, no dropped connection)",
      noAnswer.length === 0,
      formatCounts(countByStatus(noAnswer.map((s) => s.answer))),
    );
    check(
      checks,
      "every answer is 200/201",
      unexpected.length === 0,
      unexpected
        .slice(0, 3)
        .map((s) => `${s.kind} ${s.answer.status} ${s.answer.body.slice(0, 100)}`)
        .join(" | "),
    );

    // Latency per minute.
    const minutes = Math.max(1, Math.ceil(o.seconds / 60));
    const rows: string[][] = [
      [
        "minute",
        "requests",
        "ingest p50 ms",
        "ingest p99 ms",
        "reads p50 ms",
        "reads p99 ms",
        "all p99 ms",
        "RSS MB (end)",
        "machine load (max)",
      ],
    ];
    const p99s: number[] = [];
    for (let m = 0; m < minutes; m++) {
      const inMinute = samples.filter((s) => Math.floor((s.answer.startedAt - started) / 60_000) === m);
      const ms = (kinds: Sample["kind"][]) => inMinute.filter((s) => kinds.includes(s.kind)).map((s) => s.answer.ms);
      const ing = ms(["ingest", "replay"]);
      const reads = ms(["kpi", "trends", "page"]);
      const p99 = percentile(
        inMinute.map((s) => s.answer.ms),
        0.99,
      );
      p99s.push(percentile(ing, 0.99));
      const rssAt = rss.filter((r) => r.at <= (m + 1) * 60).at(-1)?.mb ?? 0;
      const load = Math.max(0, ...rss.filter((r) => r.at > m * 60 && r.at <= (m + 1) * 60).map((r) => r.load));
      rows.push([
        String(m + 1),
        String(inMinute.length),
        fmt(percentile(ing, 0.5)),
        fmt(percentile(ing, 0.99)),
        fmt(percentile(reads, 0.5)),
        fmt(percentile(reads, 0.99)),
        fmt(p99),
        rssAt.toFixed(0),
        load.toFixed(1),
      ]);
    }
    const kindRows: string[][] = [["request", "count", "p50 ms", "p99 ms", "max ms"]];
    for (const k of ["ingest", "replay", "kpi", "trends", "page", "export", "mv"] as const) {
      const ms = byKind(k).map((a) => a.ms);
      kindRows.push([
        k,
        String(ms.length),
        fmt(percentile(ms, 0.5)),
        fmt(percentile(ms, 0.99)),
        fmt(Math.max(0, ...ms)),
      ]);
    }
    const medianP99 = percentile(p99s, 0.5);
    const worstP99 = Math.max(...p99s);
    check(
      checks,
      "ingest p99 per minute stable (worst minute ≤ 3 × the median minute, or ≤ 1 s)",
      worstP99 <= Math.max(3 * medianP99, 1000),
      `median ${fmt(medianP99)} ms, worst ${fmt(worstP99)} ms`,
    );
    // Degradation over time (what a leak or a growing table would cause) rather than one slow minute.
    const third = Math.max(1, Math.floor(p99s.length / 3));
    const early = percentile(p99s.slice(0, third), 0.5);
    const late = percentile(p99s.slice(-third), 0.5);
    check(
      checks,
      "ingest p99 does not degrade (median minute of the last third ≤ 2 × that of the first third, or ≤ 1 s)",
      late <= Math.max(2 * early, 1000),
      `first third ${fmt(early)} ms, last third ${fmt(late)} ms`,
    );

    // Memory of the server process.
    const startMb = rss[0]!.mb;
    const peakMb = Math.max(...rss.map((r) => r.mb));
    const endMb = rss.at(-1)!.mb;
    // The heap grows while caches and pools fill; a leak keeps growing after that. So the end is
    // compared with the peak of the first half.
    const firstHalfPeakMb = Math.max(...rss.filter((r) => r.at <= o.seconds / 2).map((r) => r.mb));
    figures.push([
      "server RSS start / peak / end",
      `${startMb.toFixed(0)} / ${peakMb.toFixed(0)} / ${endMb.toFixed(0)} MB (peak of the first half ${firstHalfPeakMb.toFixed(0)} MB)`,
    ]);
    check(
      checks,
      "server RSS bounded: the end is within 25 % of the first half's peak",
      endMb <= 1.25 * firstHalfPeakMb,
      `first-half peak ${firstHalfPeakMb.toFixed(0)} MB, end ${endMb.toFixed(0)} MB`,
    );

    // Stored requests against answers.
    await sleep(2_000); // let the sealer and the worker catch up a little; nothing below depends on them
    const created201 = ingest.records.filter((r) => !r.replay && r.answer.status === 201);
    const replays = ingest.records.filter((r) => r.replay);
    const distinct201 = new Set(created201.map((r) => r.key));
    const originalId = new Map(created201.map((r) => [r.key, (JSON.parse(r.answer.body) as { id: string }).id]));
    const replayOk = replays.filter(
      (r) =>
        r.answer.status === 201 &&
        r.answer.headers["idempotent-replayed"] === "true" &&
        (JSON.parse(r.answer.body) as { id: string }).id === originalId.get(r.key),
    );
    const [stored] = await sql<{ n: number; keys: number }>(
      databaseUrl,
      "select count(*)::int as n, count(distinct idempotency_key)::int as keys from mass_request",
    );
    figures.push([
      "MASS requests: new 201 / replayed 201 / stored",
      `${distinct201.size} / ${replays.length} / ${stored!.n}`,
    ]);
    check(
      checks,
      "stored MASS requests = distinct 201 answers, exactly",
      stored!.n === distinct201.size && stored!.keys === distinct201.size && created201.length === distinct201.size,
      `${stored!.n} stored, ${distinct201.size} distinct 201`,
    );
    check(
      checks,
      "every replay answered 201 with Idempotent-Replayed: true and the original id",
      replayOk.length === replays.length,
      `${replayOk.length} of ${replays.length}`,
    );

    // One audit event per state change (what the code writes): mass.ingest per stored request (none
    // for replays), export.csv per export answered, mv.run per report, biocore.call per stored call,
    // recommendation.create per stored recommendation.
    const counted = await sql<{ what: string; events: number; rows: number }>(
      databaseUrl,
      `select 'mass.ingest' as what, (select count(*) from audit_event where action = 'mass.ingest')::int as events, (select count(*) from mass_request)::int as rows
       union all select 'mv.run', (select count(*) from audit_event where action = 'mv.run' and result = 'ok')::int, (select count(*) from mv_report)::int
       union all select 'biocore.call', (select count(*) from audit_event where action = 'biocore.call')::int, (select count(*) from biocore_call)::int
       union all select 'recommendation.create', (select count(*) from audit_event where action = 'recommendation.create')::int, (select count(*) from recommendation)::int
       union all select 'export.csv (observations)', (select count(*) from audit_event where action = 'export.csv' and target_type = 'observations')::int, $1::int`,
      [byKind("export").filter((a) => a.status === 200).length],
    );
    for (const c of counted)
      check(
        checks,
        `audit: one ${c.what} event per state change`,
        c.events === c.rows,
        `${c.events} events, ${c.rows} ${c.what.startsWith("export") ? "exports answered 200" : "rows"}`,
      );
    const mvAnswered = byKind("mv").filter((a) => a.status === 201).length + 1; // + the warm-up run
    const mvRow = counted.find((c) => c.what === "mv.run")!;
    check(
      checks,
      "mv reports stored = M&V runs answered 201",
      mvRow.rows === mvAnswered,
      `${mvRow.rows} reports, ${mvAnswered} answered 201`,
    );

    // The chain, verified by the operator's command.
    const verify = spawnSync("npm", ["run", "--silent", "audit:verify"], {
      env: { ...process.env, DATABASE_URL: databaseUrl, AUDIT_HMAC_KEY },
      encoding: "utf8",
      timeout: 300_000,
    });
    const result = (() => {
      try {
        return JSON.parse(verify.stdout) as { ok: boolean; checked: number; unsealed: number };
      } catch {
        return null;
      }
    })();
    const [events] = await sql<{ n: number }>(databaseUrl, "select count(*)::int as n from audit_event");
    figures.push([
      "audit:verify",
      `exit ${verify.status}; ${result ? `ok=${result.ok}, ${result.checked} events checked, ${result.unsealed} unsealed` : verify.stderr.slice(-200)}; ${events!.n} events in the table`,
    ]);
    check(
      checks,
      "npm run audit:verify: chain intact",
      verify.status === 0 && result?.ok === true,
      verify.stderr.trim().split("\n").at(-1) ?? "",
    );
    return { scenario: `Soak (${o.seconds} s)`, checks, figures, tables: [rows, kindRows] };
  } finally {
    await server.stop();
    await sql(o.adminUrl, `drop database if exists "${name}" with (force)`).catch(() => undefined);
  }
}

const fmt = (ms: number) => ms.toFixed(0);
