// The interactive API docs: behind login, rendered from the generated document under the page CSP,
// and able to call the API as the signed-in user.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, signIn } from "../support/browser";
import { baseUrl, TEST_PASSWORD, userWithRole } from "../support/http";

describe("API docs page in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it("is behind login", async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl()}/docs`);
    await page.waitForURL(/\/login\?callbackUrl=%2Fdocs/);
    await page.close();
  });

  it("lists every operation and runs one as the signed-in user", async () => {
    const viewer = await userWithRole("viewer");
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    await signIn(page, viewer.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.getByRole("link", { name: "API", exact: true }).click();
    await page.waitForURL(`${baseUrl()}/docs`);
    const explorer = page.getByTestId("api-explorer");
    await explorer.locator(".opblock").first().waitFor();
    const listed = await explorer.locator(".opblock .opblock-summary-path").allTextContents();
    expect(listed.map((p) => p.replace(/\u200b/g, ""))).toEqual(
      expect.arrayContaining(["/api/v1/mass/generate", "/api/v1/mass/{id}/status", "/api/v1/audit/verify"]),
    );
    expect(await explorer.locator(".opblock").count()).toBeGreaterThanOrEqual(20);
    expect(await explorer.getByRole("button", { name: /Authorize/ }).count()).toBeGreaterThan(0);

    const me = explorer.locator("#operations-Authentication-getV1Me");
    await me.locator(".opblock-summary").click();
    await me.getByRole("button", { name: "Try it out" }).click();
    await me.getByRole("button", { name: "Execute" }).click();
    const response = me.locator(".live-responses-table .response");
    await response.first().waitFor();
    expect(await response.locator(".response-col_status").first().textContent()).toContain("200");
    expect(await response.locator(".microlight, pre").first().textContent()).toContain(viewer.email);
    await screenshot(page, "api-docs");
    expect(problems.filter((p) => /Content Security Policy|Refused/.test(p))).toEqual([]);
    await page.close();
  });
});
