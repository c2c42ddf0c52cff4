// Turns anything thrown by a handler into an AppError; unknown errors become a generic 500.
import { ZodError } from "zod";
import { AppError } from "./app-error";
import { zodToAppError } from "./problem";

// Transient: the server is down, restarting or out of connections (P2028: a transaction that could
// not start in time or outlived its timeout), or a statement was cancelled by statement_timeout
// (57014) or lock_timeout (55P03). Retrying later can succeed, so these are 503 with Retry-After.
const DB_UNAVAILABLE_CODES = new Set([
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P2024",
  "P2028",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "57P01",
  "57P02",
  "57P03",
  "57014",
  "55P03",
]);

function codesOf(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== "object" || depth > 4) return [];
  const e = error as {
    code?: unknown;
    kind?: unknown;
    cause?: unknown;
    originalCode?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  const own = [e.code, e.kind, e.originalCode].filter((c): c is string => typeof c === "string");
  // Prisma wraps a driver error it has no code for (e.g. 57P03 "shutting down") as P2039/P2010 with
  // the original under meta.driverAdapterError.
  return [...own, ...codesOf(e.cause, depth + 1), ...codesOf(e.meta?.driverAdapterError, depth + 1)];
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const codes = codesOf(error);
  // Class 08: connection exceptions; class 53: insufficient resources (disk full, out of memory, too
  // many connections) — the request can succeed once the server has room again.
  if (
    codes.some(
      (c) =>
        DB_UNAVAILABLE_CODES.has(c) ||
        c.startsWith("08") ||
        /^53[0-9A-Z]{3}$/.test(c) ||
        ["DatabaseNotReachable", "ConnectionClosed", "TooManyConnections"].includes(c),
    )
  )
    return true;
  const message = error instanceof Error ? error.message : "";
  // The last two: a pooled connection that broke while the server restarted (pg, Prisma).
  return /Can't reach database|ECONNREFUSED|Connection terminated|connection timeout|terminating connection|not queryable|Server has closed the connection/i.test(
    message,
  );
}

export function toAppError(error: unknown): { appError: AppError; unexpected: boolean } {
  if (error instanceof AppError) return { appError: error, unexpected: false };
  if (error instanceof ZodError) return { appError: zodToAppError(error), unexpected: false };
  const codes = codesOf(error);
  if (codes.includes("P2025"))
    return { appError: new AppError("not_found", "The resource does not exist"), unexpected: false };
  if (codes.includes("P2002") || codes.includes("23505")) {
    return {
      appError: new AppError("conflict", "A resource with the same unique key already exists"),
      unexpected: false,
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      appError: new AppError("unavailable", "The database is unavailable; retry shortly", {
        headers: { "Retry-After": "5" },
      }),
      unexpected: true,
    };
  }
  return { appError: new AppError("internal", "An unexpected error occurred; it has been logged"), unexpected: true };
}
