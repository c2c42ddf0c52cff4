/* eslint-disable no-console -- these tests call the console methods the module replaces */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { consoleMessage, routeConsoleToLog } from "./console-to-log";

describe("console output as log lines", () => {
  const original = {
    debug: console.debug,
    log: console.log,
    info: console.info,
    warn: console.warn,
    error: console.error,
  };
  let writes: string[];

  beforeEach(() => {
    writes = [];
    vi.spyOn(process.stdout, "write").mockImplementation(
      (chunk: string | Uint8Array) => (writes.push(String(chunk)), true),
    );
    process.env.LOG_LEVEL = "debug";
  });

  afterEach(() => {
    Object.assign(console, original);
    vi.restoreAllMocks();
    delete process.env.LOG_LEVEL;
  });

  it("makes each console call one JSON line at the method's level, with the given fields", () => {
    routeConsoleToLog({ process: "worker" });
    console.log("plain %s", "text");
    console.info("info");
    console.debug("debug");
    console.warn("⚠ a warning");
    console.error(new Error("boom\nsecond line"));
    const lines = writes.map((w) => JSON.parse(w) as Record<string, unknown>);
    expect(writes.every((w) => w.endsWith("\n") && w.indexOf("\n") === w.length - 1)).toBe(true);
    expect(lines.map((l) => [l.level, l.source, l.process])).toEqual([
      ["info", "console", "worker"],
      ["info", "console", "worker"],
      ["debug", "console", "worker"],
      ["warn", "console", "worker"],
      ["error", "console", "worker"],
    ]);
    expect(lines[0]!.msg).toBe("plain text");
    expect(lines[3]!.msg).toBe("a warning");
    // The stack stays, inside the one line.
    expect(lines[4]!.msg).toMatch(/^Error: boom\nsecond line\n\s+at /);
    expect(lines[0]).toHaveProperty("trace_id");
    expect(Date.parse(String(lines[0]!.timestamp))).not.toBeNaN();
  });

  it("drops blank lines and respects LOG_LEVEL", () => {
    process.env.LOG_LEVEL = "warn";
    routeConsoleToLog();
    console.log();
    console.log("info is below warn");
    console.error("");
    console.warn("kept");
    expect(writes.map((w) => (JSON.parse(w) as { msg: string }).msg)).toEqual(["kept"]);
  });

  it("removes Next.js's colours and status glyph, and credentials anywhere in the text", () => {
    expect(consoleMessage(["\u001b[32m\u001b[1m✓\u001b[22m\u001b[39m Running next.config.ts took 55ms"])).toBe(
      "Running next.config.ts took 55ms",
    );
    expect(consoleMessage([" ⨯", "Error: x"])).toBe("Error: x");
    expect(consoleMessage(["▲ Next.js 16"])).toBe("Next.js 16");
    expect(consoleMessage(["fetch failed: postgresql://app:hunter2@db:5432/pib, Authorization: Bearer abc.def"])).toBe(
      "fetch failed: postgresql://app:[redacted]@db:5432/pib, Authorization: Bearer [redacted]",
    );
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl";
    const token = `pib_${"A".repeat(43)}`;
    expect(consoleMessage(["token", { jwt, token }])).not.toMatch(/eyJhbGci|pib_A/);
  });
});
