import { SignJWT } from "jose";
import { describe, expect, inject, it } from "vitest";
import { accessJwt } from "../support/credentials";
import {
  accessToken,
  adminToken,
  apiTokenWithRole,
  call,
  expectProblem,
  TEST_PASSWORD,
  userWithRole,
} from "../support/http";

describe("POST /api/v1/auth/token", () => {
  it("returns a 15-minute HS256 JWT for the first admin", async () => {
    const res = await call("/api/v1/auth/token", {
      body: { email: inject("adminEmail"), password: inject("adminPassword") },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number; role: string };
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBe(900);
    expect(body.role).toBe("admin");
    const header = JSON.parse(Buffer.from(body.access_token.split(".")[0]!, "base64url").toString()) as { alg: string };
    expect(header.alg).toBe("HS256");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("answers unknown user and wrong password with the same 401 problem", async () => {
    const unknown = await call("/api/v1/auth/token", {
      body: { email: "nobody@pilot.test", password: "whatever-password" },
    });
    const wrong = await call("/api/v1/auth/token", {
      body: { email: inject("adminEmail"), password: "not-the-password" },
    });
    for (const res of [unknown, wrong]) {
      expect(res.status).toBe(401);
      expectProblem(res);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    const [a, b] = [(await unknown.json()) as { detail: string }, (await wrong.json()) as { detail: string }];
    expect(a.detail).toBe(b.detail);
  });

  it("names every invalid field with a JSON Pointer", async () => {
    const res = await call("/api/v1/auth/token", { body: { email: 42 } });
    expect(res.status).toBe(422);
    expectProblem(res);
    const body = (await res.json()) as { errors: { pointer: string }[]; request_id: string };
    expect(body.errors.map((e) => e.pointer).sort()).toEqual(["/email", "/password"]);
    expect(body.request_id).toBeTruthy();
  });
});

describe("bearer authentication", () => {
  it("lets the admin read the audit trail with a JWT, and refuses without one", async () => {
    const token = await adminToken();
    const ok = await call("/api/v1/audit?action=user.bootstrap", { token });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await ok.json()) as { items: { action: string }[] };
    expect(body.items.some((e) => e.action === "user.bootstrap_admin")).toBe(true);

    const anonymous = await call("/api/v1/audit");
    expect(anonymous.status).toBe(401);
    expectProblem(anonymous);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("reports an intact chain", async () => {
    const res = await call("/api/v1/audit/verify", { token: await adminToken() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; checked: number; first_broken: unknown };
    expect(body.ok).toBe(true);
    expect(body.checked).toBeGreaterThan(0);
    expect(body.first_broken).toBeNull();
  });

  it("leaves a proxy's Basic credentials to the session, and refuses any other non-Bearer scheme", async () => {
    // Behind the ingress's password protection every browser request carries `Authorization: Basic`.
    const basic = await call("/api/v1/me", {
      headers: { Authorization: `Basic ${Buffer.from("pilot:ingress-password").toString("base64")}` },
    });
    expect(basic.status).toBe(401);
    expect(((await basic.json()) as { detail: string }).detail).toBe("Authentication is required");
    const digest = await call("/api/v1/me", { headers: { Authorization: "Digest username=x" } });
    expect(digest.status).toBe(401);
    expect(((await digest.json()) as { detail: string }).detail).toBe(
      "The Authorization header must be `Bearer <token>`",
    );
  });

  it("rejects alg:none, a wrong signature and an expired token", async () => {
    const admin = await adminToken();
    const [h, p] = admin.split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${p}.`;
    const forged = `${h}.${p}.${Buffer.from("x".repeat(32)).toString("base64url")}`;
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString()) as { sub: string };
    const expired = await new SignJWT({ typ: "access" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(payload.sub)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode("some-other-secret-that-is-long-enough-123"));
    for (const token of [none, forged, expired, "garbage"]) {
      const res = await call("/api/v1/me", { token });
      expect(res.status, token).toBe(401);
      expectProblem(res);
    }
    const malformed = await call("/api/v1/me", { headers: { Authorization: "Basic abc" } });
    expect(malformed.status).toBe(401);
  });

  it("refuses an access JWT older than the access-token lifetime, whatever its exp says", async () => {
    const viewer = await userWithRole("viewer");
    const now = Math.floor(Date.now() / 1000);
    // Signed with the server's own secret: the signature is good, only the age is wrong. iat_ms is
    // current so the user's credentials-changed check does not refuse it first.
    const fresh = await accessJwt(viewer.id, { iat: now, exp: now + 900, iatMs: Date.now() });
    expect((await call("/api/v1/me", { token: fresh })).status).toBe(200);
    const tenYears = 10 * 365 * 86_400;
    for (const [name, token] of [
      [
        "issued an hour ago, expiring in ten years",
        await accessJwt(viewer.id, { iat: now - 3600, exp: now + tenYears, iatMs: Date.now() }),
      ],
      [
        "issued 16 minutes ago, expiring in an hour",
        await accessJwt(viewer.id, { iat: now - 16 * 60, exp: now + 3600, iatMs: Date.now() }),
      ],
    ] as const) {
      const res = await call("/api/v1/me", { token });
      expect(res.status, name).toBe(401);
      expectProblem(res);
    }
  });

  it("stops honouring a user's JWT as soon as the user is disabled", async () => {
    const viewer = await userWithRole("viewer");
    expect((await call("/api/v1/me", { token: viewer.token })).status).toBe(200);
    const disable = await call(`/api/v1/users/${viewer.id}`, {
      method: "PATCH",
      token: await adminToken(),
      body: { disabled: true },
    });
    expect(disable.status).toBe(200);
    expect((await call("/api/v1/me", { token: viewer.token })).status).toBe(401);
    const again = await call("/api/v1/auth/token", { body: { email: viewer.email, password: TEST_PASSWORD } });
    expect(again.status).toBe(401);
  });

  it("accepts an API token until it is revoked, and never shows its secret again", async () => {
    const { id, secret } = await apiTokenWithRole("analyst");
    expect(secret).toMatch(/^pib_[A-Za-z0-9_-]{43}$/);
    const me = await call("/api/v1/me", { token: secret });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { kind: string; role: string }).role).toBe("analyst");

    const list = await call("/api/v1/tokens", { token: await adminToken() });
    expect(await list.text()).not.toContain(secret);

    const revoke = await call(`/api/v1/tokens/${id}`, { method: "DELETE", token: await adminToken() });
    expect(revoke.status).toBe(200);
    expect((await call("/api/v1/me", { token: secret })).status).toBe(401);
  });

  it("ends JWTs issued before a password reset", async () => {
    const analyst = await userWithRole("analyst");
    const reset = await call(`/api/v1/users/${analyst.id}`, {
      method: "PATCH",
      token: await adminToken(),
      body: { password: "another-long-password-1" },
    });
    expect(reset.status).toBe(200);
    expect((await call("/api/v1/me", { token: analyst.token })).status).toBe(401);
    const fresh = await accessToken(analyst.email, "another-long-password-1");
    expect((await call("/api/v1/me", { token: fresh })).status).toBe(200);
  });
});
