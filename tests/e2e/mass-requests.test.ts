import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, screenshot, signIn } from "../support/browser";
import { baseUrl, call, TEST_PASSWORD, userWithRole } from "../support/http";

describe("MASS requests pages in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it("shows a request ingested through the API in the list, and opens it side by side", async () => {
    const analyst = await userWithRole("analyst");
    const doc = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8")) as {
      request: Record<string, unknown>;
    };
    const suffix = randomBytes(4).toString("hex");
    doc.request.request_id = `req-e2e-${suffix}`;
    doc.request.idempotency_key = `idem-e2e-${suffix}`;
    doc.request.tenant_id = "  ACME-Cloud ";
    const res = await call("/api/v1/mass/generate", { token: analyst.token, body: doc });
    expect(res.status).toBe(201);
    // Another request, which the filter below must leave out.
    const other = structuredClone(doc);
    other.request.request_id = `req-e2e-other-${suffix}`;
    other.request.idempotency_key = `idem-e2e-other-${suffix}`;
    expect((await call("/api/v1/mass/generate", { token: analyst.token, body: other })).status).toBe(201);
    const { id, payload_hash: hash } = (await res.json()) as { id: string; payload_hash: string };

    const page = await browser.newPage();
    await signIn(page, analyst.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.getByRole("link", { name: "MASS requests" }).click();
    await page.waitForURL(`${baseUrl()}/requests`);
    await page.fill("#request_id", `req-e2e-${suffix}`);
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await page.waitForURL(/request_id=req-e2e-/);
    const links = page.getByTestId("request-link");
    expect(await links.allTextContents()).toEqual([`req-e2e-${suffix}`]);
    expect(await page.getByText("Some filters were invalid").count()).toBe(0);
    await screenshot(page, "requests");
    await links.first().click();
    await page.waitForURL(`${baseUrl()}/requests/${id}`);
    expect(await page.getByTestId("payload-hash").textContent()).toBe(hash);
    const changed = page.locator("[data-testid=normalized-doc] li[data-changed]");
    expect(await changed.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('/request/tenant_id"acme-cloud"')]),
    );
    expect(await page.getByTestId("timeline").textContent()).toContain("stored");
    await screenshot(page, "request-detail");
    await page.close();
    void inject;
  });
});
