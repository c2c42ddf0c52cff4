// The database stopped and started again under ingest load, and a statement held past
// statement_timeout: short durations of the scenario `npm run test:reliability` runs for longer
// (tests/reliability/db-fault.ts holds the checks).
import { describe, expect, it } from "vitest";
import { runDbFault } from "../reliability/db-fault";
import { failures, formatResult } from "../reliability/report";

describe("database faults", () => {
  it("answers 503 problem+json with Retry-After (never 500, never a hang), recovers without a restart, loses and duplicates nothing", async () => {
    const result = await runDbFault({
      loadSeconds: 10,
      downAtSeconds: 3,
      downForSeconds: 3,
      clients: 6,
      statementTimeoutMs: 2_000,
    });
    console.log(formatResult(result));
    expect(failures(result)).toEqual([]);
  }, 240_000);
});
