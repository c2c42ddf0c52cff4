import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCacheForTests } from "@/lib/env";
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken, verifyAccessToken } from "./access-jwt";

afterEach(() => vi.useRealTimers());

describe("access tokens", () => {
  it("verifies a token, and again (from memory) on the next call", async () => {
    const { token } = await signAccessToken("user-1");
    expect((await verifyAccessToken(token))?.userId).toBe("user-1");
    expect((await verifyAccessToken(token))?.userId).toBe("user-1");
  });

  it("refuses a remembered token once its lifetime and the tolerance have passed", async () => {
    const { token } = await signAccessToken("user-2");
    expect(await verifyAccessToken(token)).not.toBeNull();
    vi.useFakeTimers({ now: Date.now() + (ACCESS_TOKEN_TTL_SECONDS + 31) * 1000, toFake: ["Date"] });
    expect(await verifyAccessToken(token)).toBeNull();
  });

  it("still accepts a remembered token within the tolerance after its end, as the first check would", async () => {
    const { token } = await signAccessToken("user-3");
    expect(await verifyAccessToken(token)).not.toBeNull();
    vi.useFakeTimers({ now: Date.now() + (ACCESS_TOKEN_TTL_SECONDS + 20) * 1000, toFake: ["Date"] });
    expect((await verifyAccessToken(token))?.userId).toBe("user-3");
  });

  it("refuses a token that is not ours, however often it is sent", async () => {
    const { token } = await signAccessToken("user-4");
    const [h, p, s] = token.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), sub: "admin" })).toString("base64url")}.${s}`;
    expect(await verifyAccessToken(forged)).toBeNull();
    expect(await verifyAccessToken(forged)).toBeNull();
  });

  it("refuses a remembered token once the secret changed (a rotated AUTH_SECRET ends every token)", async () => {
    const { token } = await signAccessToken("user-5");
    expect(await verifyAccessToken(token)).not.toBeNull();
    const before = process.env.AUTH_SECRET;
    process.env.AUTH_SECRET = "another-secret-of-at-least-32-bytes-long";
    resetEnvCacheForTests();
    try {
      expect(await verifyAccessToken(token)).toBeNull();
    } finally {
      if (before === undefined) delete process.env.AUTH_SECRET;
      else process.env.AUTH_SECRET = before;
      resetEnvCacheForTests();
    }
  });
});
