import { afterEach, describe, expect, it, vi } from "vitest";
import { logger, redact } from "./logger";

describe("log lines", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.OTEL_SERVICE_NAME;
  });

  function lineOf(run: () => void): Record<string, unknown> {
    const writes: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation(
      (chunk: string | Uint8Array) => (writes.push(String(chunk)), true),
    );
    run();
    return JSON.parse(writes[0]!) as Record<string, unknown>;
  }

  it("names the service as the spans do (OTEL_SERVICE_NAME), the product's name by default", () => {
    expect(lineOf(() => logger.error("x")).service).toBe("pilot-in-a-box");
    process.env.OTEL_SERVICE_NAME = "pib-eu-west";
    expect(lineOf(() => logger.error("x")).service).toBe("pib-eu-west");
  });
});

describe("log field redaction", () => {
  it("drops credentials by key name and by shape, keeps data that merely contains the words", () => {
    expect(
      redact({
        password: "p",
        refresh_token: "t",
        pass: true,
        tokens_per_watt_est: 0.4,
        database: "postgres://app:hunter2@db/pib",
        auth: "Bearer abc",
      }),
    ).toEqual({
      password: "[redacted]",
      refresh_token: "[redacted]",
      pass: true,
      tokens_per_watt_est: 0.4,
      database: "postgres://app:[redacted]@db/pib",
      auth: "[redacted]",
    });
  });
});
