// The server process checks its configuration before it listens: a bad value stops the start with
// the variable's name instead of failing on the first request.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("scripts/serve.ts", () => {
  it("refuses to start with an invalid TRUST_PROXY, naming it", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
      encoding: "utf8",
      timeout: 60_000,
      env: {
        ...process.env,
        NODE_ENV: "production",
        AUTH_SECRET: "x".repeat(48),
        PORT: "0",
        HOST: "127.0.0.1",
        TRUST_PROXY: "yes",
      },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /server failed to start.*TRUST_PROXY: must be false, true or the number of trusted proxy hops/,
    );
  }, 60_000);
});
