// Small helpers for talking to the test server over real HTTP.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";

export function baseUrl(): string {
  return inject("baseUrl");
}

/** A fresh client address (the test server trusts X-Forwarded-For) so rate limits do not leak between tests. */
export function freshIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export type CallOptions = {
  method?: string;
  token?: string;
  body?: unknown;
  ip?: string;
  headers?: Record<string, string>;
};

export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["Content-Type"] ??= "application/json";
  headers["X-Forwarded-For"] ??= options.ip ?? freshIp();
  return fetch(`${baseUrl()}${path}`, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
    redirect: "manual",
  });
}

export async function accessToken(email: string, password: string): Promise<string> {
  const res = await call("/api/v1/auth/token", { body: { email, password } });
  if (res.status !== 200) throw new Error(`token for ${email}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

let cachedAdmin: { token: string; at: number } | null = null;

/** The first admin's JWT, reused for a few minutes (bcrypt at cost 12 makes each sign-in slow). */
export async function adminToken(): Promise<string> {
  if (!cachedAdmin || Date.now() - cachedAdmin.at > 5 * 60_000) {
    cachedAdmin = { token: await accessToken(inject("adminEmail"), inject("adminPassword")), at: Date.now() };
  }
  return cachedAdmin.token;
}

/** Drops the cached admin JWT (a test that changed the first admin ended it). */
export function forgetAdminToken(): void {
  cachedAdmin = null;
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}@pilot.test`;
}

export const TEST_PASSWORD = "correct-horse-battery-staple";

/** Creates a user through the API as the admin and returns a JWT for them. */
export async function userWithRole(
  role: "admin" | "analyst" | "viewer",
  tenantIds: string[] = [],
): Promise<{ email: string; id: string; token: string }> {
  const email = uniqueEmail(role);
  const res = await call("/api/v1/users", {
    token: await adminToken(),
    body: { email, password: TEST_PASSWORD, role, tenant_ids: tenantIds },
  });
  if (res.status !== 201) throw new Error(`create ${role}: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  return { email, id, token: await accessToken(email, TEST_PASSWORD) };
}

/** Creates an API token through the API as the admin and returns its secret. */
export async function apiTokenWithRole(
  role: "admin" | "analyst" | "viewer",
  tenantIds: string[] = [],
): Promise<{ id: string; secret: string }> {
  const res = await call("/api/v1/tokens", {
    token: await adminToken(),
    body: { name: `test ${role}`, role, tenant_ids: tenantIds },
  });
  if (res.status !== 201) throw new Error(`create token: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; secret: string };
}

export function expectProblem(res: Response): void {
  const type = res.headers.get("content-type") ?? "";
  if (!type.startsWith("application/problem+json"))
    throw new Error(`expected problem+json, got ${type} (${res.status})`);
}
