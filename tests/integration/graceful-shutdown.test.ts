// SIGTERM to `npm start` under load while requests are in flight and the recommendation worker
// holds claimed jobs; then a restart. Short durations of the scenario `npm run test:reliability`
// runs for longer (tests/reliability/graceful-shutdown.ts holds the checks).
import { describe, expect, it } from "vitest";
import { runGracefulShutdown } from "../reliability/graceful-shutdown";
import { failures, formatResult } from "../reliability/report";

describe("graceful shutdown of npm start", () => {
  it("finishes in-flight requests, refuses new ones, hands back claimed jobs, stops the database cleanly, and loses nothing across a restart", async () => {
    const result = await runGracefulShutdown({ clients: 4, loadBeforeSeconds: 2 });
    console.log(formatResult(result));
    expect(failures(result)).toEqual([]);
  }, 300_000);
});
