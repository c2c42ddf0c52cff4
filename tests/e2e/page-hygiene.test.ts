// What a browser's console shows an operator on the way in: no failed request (the icon every page
// asks for), no Content-Security-Policy violation, no error, on the sign-in page, a page that does
// not exist, and a dashboard page.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, signIn } from "../support/browser";
import { baseUrl, freshIp, TEST_PASSWORD, userWithRole } from "../support/http";

/** Failed responses and console errors while `visit` runs on a fresh page. */
async function complaints(page: Page, visit: () => Promise<void>): Promise<string[]> {
  const found: string[] = [];
  page.on("response", (res) => {
    // The missing page's own 404 is the point of visiting it; anything else failing is not.
    if (res.status() >= 400 && !res.url().includes("/no-such-page")) found.push(`${res.status()} ${res.url()}`);
  });
  page.on("console", (msg) => {
    if (msg.type() === "error" && !/status of 404/.test(msg.text())) found.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (error) => found.push(`page error: ${error.message}`));
  await visit();
  await page.waitForLoadState("networkidle");
  return found;
}

describe("page hygiene in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it("shows the site's icon and logs nothing on the sign-in page, a missing page and the dashboard", async () => {
    const user = await userWithRole("viewer");
    const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": freshIp() } });
    const page = await context.newPage();

    expect(await complaints(page, async () => void (await page.goto(`${baseUrl()}/login`)))).toEqual([]);
    const icon = await page.locator('link[rel="icon"]').getAttribute("href");
    expect(icon).toMatch(/^\/icon\.svg/);
    const served = await page.request.get(`${baseUrl()}${icon}`);
    expect(served.status()).toBe(200);
    expect(served.headers()["content-type"]).toContain("image/svg+xml");

    await signIn(page, user.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    const missing = await complaints(page, async () => {
      const res = await page.goto(`${baseUrl()}/no-such-page`);
      expect(res?.status()).toBe(404);
    });
    expect(missing).toEqual([]);
    expect(await complaints(page, async () => void (await page.goto(`${baseUrl()}/datasets`)))).toEqual([]);
    await context.close();
  });

  it("opens the navigation from a menu button on a narrow screen, and closes it on the way", async () => {
    const user = await userWithRole("analyst");
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      extraHTTPHeaders: { "X-Forwarded-For": freshIp() },
    });
    const page = await context.newPage();
    await signIn(page, user.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    // The sidebar is hidden at this width; the menu is the way to the other pages.
    expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(false);
    const menu = page.getByRole("button", { name: "Menu" });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    const nav = page.getByRole("navigation", { name: "Menu" });
    expect(await nav.getByRole("link").allTextContents()).toEqual(
      expect.arrayContaining(["Overview", "Before / after", "M&V", "Datasets", "API"]),
    );
    await screenshot(page, "mobile-menu");
    await nav.getByRole("link", { name: "Datasets" }).click();
    await page.waitForURL(`${baseUrl()}/datasets`);
    await page.getByRole("heading", { name: "Datasets", level: 1 }).waitFor();
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await page.getByRole("navigation", { name: "Menu" }).count()).toBe(0);
    await context.close();
  });
});
