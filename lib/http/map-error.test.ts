import { describe, expect, it } from "vitest";
import { toAppError } from "./map-error";

const prismaWrapped = (code: string, originalCode: string) =>
  Object.assign(new Error(`Database error. Code: \`${originalCode}\``), {
    code,
    meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "postgres", originalCode } } },
  });

describe("toAppError for database failures", () => {
  it.each([
    ["server shutting down, wrapped by Prisma", prismaWrapped("P2039", "57P03")],
    ["statement_timeout, wrapped by Prisma", prismaWrapped("P2039", "57014")],
    ["lock_timeout in a raw query", prismaWrapped("P2010", "55P03")],
    ["disk full", prismaWrapped("P2039", "53100")],
    [
      "transaction that could not start or expired",
      Object.assign(new Error("Transaction API error"), { code: "P2028" }),
    ],
    ["connection refused", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })],
    [
      "a pooled pg client broken by a restart",
      new Error("Client has encountered a connection error and is not queryable"),
    ],
  ])("%s → 503 with Retry-After", (_, error) => {
    const { appError } = toAppError(error);
    expect(appError.status).toBe(503);
    expect(appError.headers?.["Retry-After"]).toBe("5");
  });

  it("a database error that retrying cannot fix stays a 500", () => {
    expect(toAppError(prismaWrapped("P2039", "42P01")).appError.status).toBe(500);
  });
});
