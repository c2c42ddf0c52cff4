// The operator's shell and filter bar in Chromium: dark mode kept across a reload (server-rendered
// <html class="dark">), relative ranges in the URL and resolved by the server, auto-refresh on a
// relative range, and saved views (save, reload, open, delete).
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, settled, signIn } from "../support/browser";
import { baseUrl, TEST_PASSWORD, userWithRole } from "../support/http";
import { uploadDemoDays } from "../support/demo-upload";

const minute = (s: string) => Date.parse(`${s.replace(" ", "T")}:00Z`);

/**
 * The relative luminance (0 black … 1 white) of an element's computed background, drawn on a
 * canvas to read it as sRGB whatever notation the style uses (Tailwind v4's colours are oklch).
 */
const background = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = 1;
      const ctx = canvas.getContext("2d")!;
      ctx.fillStyle = getComputedStyle(el).backgroundColor;
      ctx.fillRect(0, 0, 1, 1);
      const [r, g, b] = Array.from(ctx.getImageData(0, 0, 1, 1).data).map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    });

describe("operator experience in Chromium", () => {
  let browser: Browser;
  const tenant = `opx-${Date.now()}`;
  beforeAll(async () => {
    browser = await launchBrowser();
    const analyst = await userWithRole("analyst");
    await uploadDemoDays({ name: "opx", tenant, token: analyst.token, start: "2026-05-25T00:00:00Z", days: 14 });
  });
  afterAll(() => browser?.close());

  const signedIn = async (): Promise<Page> => {
    const viewer = await userWithRole("viewer");
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, viewer.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    return page;
  };

  it("switches to dark mode, keeps it across a reload, and follows the system when asked", async () => {
    const page = await signedIn();
    await page.goto(`${baseUrl()}/?tenant_id=${tenant}`);
    expect(await page.locator("html").getAttribute("class")).toBeNull();
    expect(await background(page, "body")).toBeGreaterThan(0.8);

    await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Dark" }).click();
    await expect.poll(() => page.locator("html").getAttribute("class")).toBe("dark");
    await page.reload();
    // Rendered by the server from the cookie: dark before any script runs.
    expect(await page.locator("html").getAttribute("class")).toBe("dark");
    expect(await page.getByRole("button", { name: "Dark" }).getAttribute("aria-pressed")).toBe("true");
    expect(await background(page, "body")).toBeLessThan(0.05);
    expect(await background(page, "section:has([data-testid=dashboard-filters])")).toBeLessThan(0.05);
    await screenshot(page, "overview-dark");

    // System: no class, the colours follow prefers-color-scheme.
    await page.getByRole("button", { name: "System" }).click();
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    expect(await page.locator("html").getAttribute("class")).toBeNull();
    expect(await background(page, "body")).toBeLessThan(0.05);
    // The charts draw with the theme's colours, and redraw when the system's scheme changes.
    const chartText = () => page.locator("[data-text-color]").first().getAttribute("data-text-color");
    const themeText = () =>
      page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--chart-text").trim());
    const darkText = await themeText();
    await expect.poll(chartText).toBe(darkText);
    await page.emulateMedia({ colorScheme: "light" });
    expect(await background(page, "body")).toBeGreaterThan(0.8);
    const lightText = await themeText();
    expect(lightText).not.toBe(darkText);
    await expect.poll(chartText).toBe(lightText);

    // Light wins over a dark system preference.
    await page.getByRole("button", { name: "Light" }).click();
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    expect(await page.locator("html").getAttribute("class")).toBe("light");
    expect(await background(page, "body")).toBeGreaterThan(0.8);
    await page.close();
  });

  it("puts a relative range in the URL and shows the period the server resolved", async () => {
    const page = await signedIn();
    await page.goto(`${baseUrl()}/?tenant_id=${tenant}`);
    await page.selectOption("#range", "last_6h");
    const before = Date.now();
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/range=last_6h/);
    await settled(page);
    const url = new URL(page.url());
    expect(url.searchParams.get("range")).toBe("last_6h");
    expect(url.searchParams.get("tenant_id")).toBe(tenant);
    expect(await page.getByTestId("range-label").textContent()).toBe("last 6 h: ");
    const [from, to] = (await page.getByTestId("period").textContent())!.replace(" UTC", "").split(" → ");
    expect(minute(to!) - minute(from!)).toBe(6 * 3_600_000);
    // Resolved at request time: ends now (to the minute shown), not at the end of the data.
    expect(minute(to!)).toBeGreaterThanOrEqual(Math.floor(before / 60_000) * 60_000);
    expect(minute(to!)).toBeLessThanOrEqual(Date.now());
    expect(await page.locator("#range").inputValue()).toBe("last_6h");

    // A calendar range names its time zone.
    await page.goto(`${baseUrl()}/?range=today`);
    expect(await page.getByTestId("range-label").textContent()).toBe("today (UTC): ");
    expect((await page.getByTestId("period").textContent())!.slice(11, 16)).toBe("00:00");

    // An unknown range is named, not a 500.
    const res = await page.goto(`${baseUrl()}/?range=last_6_hours`);
    expect(res?.status()).toBe(200);
    const alert = await page.locator("main [role=alert]").textContent();
    expect(alert).toContain("range");
    expect(alert).toContain('"last_6h"');
    await page.close();
  });

  it("refreshes a relative range on an interval (clock controlled), and only a relative one", async () => {
    const page = await signedIn();
    await page.goto(`${baseUrl()}/?tenant_id=${tenant}`);
    expect(await page.locator("#refresh").isDisabled()).toBe(true);
    expect(await page.locator("#refresh-status").textContent()).toContain("Needs a period relative to now");

    await page.clock.install();
    await page.goto(`${baseUrl()}/?tenant_id=${tenant}&range=last_24h`);
    expect(await page.locator("#refresh").isDisabled()).toBe(false);
    await page.selectOption("#refresh", "30");
    await page.waitForURL(/refresh=30/);
    expect(new URL(page.url()).searchParams.get("range")).toBe("last_24h");
    await expect.poll(() => page.locator("#refresh").inputValue()).toBe("30");
    const first = await page.getByTestId("updated-at").textContent();
    expect(first).toMatch(/^updated \d\d:\d\d:\d\d UTC$/);
    // The server's clock must move past the second shown; the page's clock is driven by hand.
    await new Promise((r) => setTimeout(r, 1100));
    await page.clock.runFor(29_000);
    expect(await page.getByTestId("updated-at").textContent()).toBe(first);
    await page.clock.runFor(1_500);
    await expect.poll(() => page.getByTestId("updated-at").textContent(), { timeout: 15_000 }).not.toBe(first);
    // A hidden tab does not refresh; shown again after a missed refresh, it refreshes at once.
    const second = await page.getByTestId("updated-at").textContent();
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        Object.defineProperty(document, "hidden", { value: h, configurable: true });
        document.dispatchEvent(new Event("visibilitychange"));
      }, hidden);
    await setHidden(true);
    await new Promise((r) => setTimeout(r, 1100));
    await page.clock.runFor(95_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await page.getByTestId("updated-at").textContent()).toBe(second);
    await setHidden(false);
    await expect.poll(() => page.getByTestId("updated-at").textContent(), { timeout: 15_000 }).not.toBe(second);
    // The URL kept the choice: a reload starts refreshing again.
    await page.reload();
    expect(await page.locator("#refresh").inputValue()).toBe("30");
    await page.close();
  });

  it("saves a view, finds it after a reload, opens it and deletes it", async () => {
    const page = await signedIn();
    await page.goto(`${baseUrl()}/observations?tenant_id=${tenant}&range=last_30d&source=csv&page=2`);
    await page.fill("#view-name", "CSV last 30 days");
    await page.getByRole("button", { name: "Save view" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe('View "CSV last 30 days" saved.');

    // The same name again: a clear refusal.
    await page.fill("#view-name", "CSV last 30 days");
    await page.getByRole("button", { name: "Save view" }).click();
    await expect
      .poll(() => page.getByTestId("saved-views").getByRole("alert").textContent())
      .toContain('you already have a view named "CSV last 30 days"');

    await page.goto(`${baseUrl()}/?tenant_id=${tenant}`);
    await page.reload();
    await page.getByText("Views (1)").click();
    await screenshot(page, "filter-bar-views");
    await page.getByRole("link", { name: "CSV last 30 days" }).click();
    await page.waitForURL(/\/observations\?/);
    const url = new URL(page.url());
    expect(url.pathname).toBe("/observations");
    // The filters came back; the page number was not a filter and was not kept.
    expect(Object.fromEntries(url.searchParams)).toEqual({ range: "last_30d", source: "csv", tenant_id: tenant });

    await settled(page);
    await page.getByText("Views (1)").click();
    await page.getByRole("button", { name: "Delete view CSV last 30 days" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe('View "CSV last 30 days" deleted.');
    await page.reload();
    expect(await page.getByText("Views (0)").count()).toBe(1);
    await page.close();
  });
});
