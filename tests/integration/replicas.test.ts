// Three production replicas behind HAProxy (deploy/haproxy/haproxy.cfg) on the test PostgreSQL and
// Redis: shared credentials, idempotency and rate limits, one sealer, jobs answered once, a SIGKILL
// that loses nothing acknowledged, a rolling restart without a 5xx. Short durations of the scenario
// `npm run test:reliability` runs for longer (tests/reliability/replicas.ts holds the checks).
import { describe, expect, inject, it } from "vitest";
import { failures, formatResult } from "../reliability/report";
import { runReplicas } from "../reliability/replicas";

describe("three replicas behind a load balancer", () => {
  it("share sessions, tokens, idempotency and rate limits, seal and process jobs once, lose nothing to a SIGKILL and answer through a rolling restart", async () => {
    const url = new URL(inject("databaseUrl"));
    url.pathname = "/postgres";
    const result = await runReplicas({
      adminUrl: url.toString(),
      redisUrl: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
      mixedSeconds: 6,
      ingestPerSecond: 8,
      readsPerSecond: 4,
      killLoadSeconds: 6,
      restartLoadPerSecond: 6,
    });
    console.log(formatResult(result));
    expect(failures(result)).toEqual([]);
  }, 600_000);
});
