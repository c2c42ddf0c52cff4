import { describe, expect, it } from "vitest";
import { redact } from "./logger";

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
