import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, freshIp, TEST_PASSWORD, userWithRole } from "../support/http";
import { launchBrowser } from "../support/browser";

// A callbackUrl a string check lets through but a browser reads as another host. The other host is
// answered by the test itself (no network), so a redirect there shows up as a page on its origin.
const HOSTILE = ["/%5Cevil.example", "/%09/evil.example", "/.//evil.example"];

async function stubEvilHost(page: Page): Promise<void> {
  await page.route(
    (url) => url.hostname === "evil.example",
    (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<p>elsewhere</p>" }),
  );
}

describe("sign-in callbackUrl in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it.each(HOSTILE)("signs in at /login?callbackUrl=%s and stays on this site", async (callback) => {
    const user = await userWithRole("viewer");
    // An address of its own: the suite's sign-ins would exceed one address's limit.
    const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": freshIp() } });
    const page = await context.newPage();
    await stubEvilHost(page);
    await page.goto(`${baseUrl()}/login?callbackUrl=${callback}`);
    await page.fill("#email", user.email);
    await page.fill("#password", TEST_PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL((url) => url.pathname !== "/login");
    expect(new URL(page.url()).origin).toBe(new URL(baseUrl()).origin);

    // Signed in, the login page redirects on the server: the same value must not leave either.
    await page.goto(`${baseUrl()}/login?callbackUrl=${callback}`);
    await page.waitForURL((url) => url.pathname !== "/login");
    expect(new URL(page.url()).origin).toBe(new URL(baseUrl()).origin);
    await context.close();
  });

  it("still returns to a same-site callbackUrl after sign-in", async () => {
    const user = await userWithRole("viewer");
    // An address of its own: the suite's sign-ins would exceed one address's limit.
    const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": freshIp() } });
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/login?callbackUrl=${encodeURIComponent("/recommendations?x=1")}`);
    await page.fill("#email", user.email);
    await page.fill("#password", TEST_PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL(`${baseUrl()}/recommendations?x=1`);
    await context.close();
  });
});
