import pg from "pg";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baseUrl, call, TEST_PASSWORD, userWithRole } from "../support/http";
import { storedUser, type StoredUser } from "../support/stored-user";
import { launchBrowser, screenshot, signIn } from "../support/browser";

describe("dashboard sign-in in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it("refuses a wrong password with a generic message", async () => {
    const page = await browser.newPage();
    await signIn(page, inject("adminEmail"), "definitely-wrong-password");
    const error = page.getByTestId("login-error");
    await error.waitFor();
    expect(await error.textContent()).toContain("Invalid email or password");
    expect(new URL(page.url()).pathname).toBe("/login");
    await screenshot(page, "login-error");
    await page.close();
  });

  it("signs the admin in, shows the shell with the role badge, and signs out", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, inject("adminEmail"), inject("adminPassword"));
    await page.waitForURL(`${baseUrl()}/`);
    expect(await page.getByTestId("role-badge").textContent()).toBe("admin");
    expect(await page.getByTestId("user-email").textContent()).toBe(inject("adminEmail"));
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name.endsWith("pib.session"));
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
    // Idle expiry: the cookie lives 30 minutes from the last page view.
    const minutesLeft = ((session?.expires ?? 0) * 1000 - Date.now()) / 60_000;
    expect(minutesLeft).toBeGreaterThan(28);
    expect(minutesLeft).toBeLessThanOrEqual(30.1);
    await screenshot(page, "overview");

    await page.getByTestId("sign-out").click();
    await page.waitForURL(/\/login/);
    await page.goto(`${baseUrl()}/audit`);
    await page.waitForURL(/\/login\?callbackUrl=%2Faudit/);
    await context.close();
  });

  it("keeps a viewer out of the admin pages", async () => {
    const viewer = await userWithRole("viewer");
    const page = await browser.newPage();
    await signIn(page, viewer.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    expect(await page.getByTestId("role-badge").textContent()).toBe("viewer");
    expect(await page.getByRole("link", { name: "Users" }).count()).toBe(0);
    for (const path of ["/admin/users", "/admin/tokens", "/audit"]) {
      const res = await page.goto(`${baseUrl()}${path}`);
      expect(res?.status(), path).toBe(403);
      await page.getByTestId("forbidden").waitFor();
    }
    await page.close();
  });

  it("lets the admin create an API token in the page and use it against the API", async () => {
    const page = await browser.newPage();
    await signIn(page, inject("adminEmail"), inject("adminPassword"));
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/admin/tokens`);
    await page.fill("#token-name", "e2e collector");
    await page.selectOption("#token-role", "analyst");
    // Every token expires: the form takes 1 to 365 days.
    expect(await page.getAttribute("#token-expiry", "min")).toBe("1");
    expect(await page.getAttribute("#token-expiry", "max")).toBe("365");
    // The server checks again (withAction turns its refusal into the form's message): past the
    // browser's own min, 0 days is refused with the field named.
    await page.evaluate(() => document.querySelector("#token-expiry")?.removeAttribute("min"));
    await page.fill("#token-expiry", "0");
    await page.click("text=Create token");
    const refused = page.getByRole("alert").filter({ hasText: "Expires in" });
    await refused.waitFor();
    expect(await refused.textContent()).toContain("Expires in must be a whole number of days from 1 to 365");
    expect(await refused.textContent()).toContain("expires_in_days");
    // React resets the form after an action: fill it in again.
    await page.fill("#token-name", "e2e collector");
    await page.selectOption("#token-role", "analyst");
    await page.fill("#token-expiry", "30");
    await page.click("text=Create token");
    const secretBox = page.getByTestId("new-token-secret");
    await secretBox.waitFor();
    const secret = (await secretBox.textContent())?.trim() ?? "";
    expect(secret).toMatch(/^pib_/);
    await screenshot(page, "api-tokens");

    const me = await call("/api/v1/me", { token: secret });
    expect(me.status).toBe(200);
    expect((await me.json()) as { role: string; kind: string }).toMatchObject({ role: "analyst", kind: "api_token" });

    await page.reload();
    expect(await page.content()).not.toContain(secret);
    const expiry = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const row = page.getByTestId("tokens-table").locator("tbody tr", { hasText: "e2e collector" }).first();
    expect(await row.textContent()).toContain(expiry);
    await page.goto(`${baseUrl()}/admin/users`);
    await page.getByTestId("users-table").waitFor();
    await screenshot(page, "users");
    await page.close();
  });

  it("keeps a user's tenant limit through the page's role change, disable, enable and password reset", async () => {
    const limited = await userWithRole("analyst", ["t-page-a", "t-page-b"]);
    const db = new pg.Client({ connectionString: inject("databaseUrl") });
    await db.connect();
    const stored = () => storedUser(db, limited.id);
    const originalHash = (await stored()).password_hash;
    const page = await browser.newPage();
    await signIn(page, inject("adminEmail"), inject("adminPassword"));
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/admin/users`);
    const row = page.getByTestId("users-table").locator("tbody tr", { hasText: limited.email });
    const steps: [string, () => Promise<void>, (u: StoredUser) => boolean][] = [
      [
        "role",
        async () => {
          await row.getByLabel("Role").selectOption("viewer");
          await row.getByRole("button", { name: "Set role" }).click();
        },
        (u) => u.role === "viewer",
      ],
      ["disable", () => row.getByRole("button", { name: "Disable" }).click(), (u) => u.disabled],
      ["enable", () => row.getByRole("button", { name: "Enable" }).click(), (u) => !u.disabled],
      [
        "password",
        async () => {
          await row.getByLabel("New password").fill("page-reset-password-1");
          await row.getByRole("button", { name: "Reset password" }).click();
        },
        (u) => u.password_hash !== originalHash,
      ],
    ];
    try {
      for (const [name, act, done] of steps) {
        // The row's forms share one action: the previous step's answer has arrived once its buttons
        // are enabled again, and only then does the next step start from the page it rendered.
        await expect
          .poll(() => row.getByRole("button", { name: "Set role" }).isEnabled(), { timeout: 10_000 })
          .toBe(true);
        await act();
        // A password reset hashes (bcrypt) on a loaded machine: more than expect.poll's default second.
        await expect.poll(async () => done(await stored()), { message: name, timeout: 10_000 }).toBe(true);
        expect((await stored()).tenant_ids, name).toEqual(["t-page-a", "t-page-b"]);
      }
    } finally {
      await db.end();
      await page.close();
    }
  });

  it("shows the audit panel with filters in the URL and a verifiable chain", async () => {
    const page = await browser.newPage();
    await signIn(page, inject("adminEmail"), inject("adminPassword"));
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/audit?action=auth.`);
    const table = page.getByTestId("audit-table");
    await table.waitFor();
    const actions = await table.locator("tbody tr td:nth-child(4)").allTextContents();
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a.startsWith("auth."))).toBe(true);
    await page.getByTestId("verify-chain").click();
    await page.getByTestId("verify-result").waitFor();
    expect(await page.getByTestId("verify-result").textContent()).toContain("Chain intact");
    await screenshot(page, "audit");
    await page.close();
  });
});
