// BioCore end to end in Chromium: ingest the enterprise example → its recommendation appears with
// impact and narrative → acknowledge it → the audit panel shows both the recommendation and the
// acknowledgement.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, screenshot, signIn } from "../support/browser";
import { baseUrl, call, TEST_PASSWORD, userWithRole } from "../support/http";

describe("recommendations in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows the enterprise example's recommendation, acknowledges it, and audits both", async () => {
    const admin = await userWithRole("admin");
    const doc = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8"));
    const requestId = `req-e2e-${randomBytes(3).toString("hex")}`;
    doc.request.request_id = requestId;
    doc.request.idempotency_key = `idem-e2e-${randomBytes(6).toString("hex")}`;
    const res = await call("/api/v1/mass/generate", { token: admin.token, body: doc });
    expect(res.status).toBe(201);
    const massId = ((await res.json()) as { id: string }).id;

    const page = await browser.newPage();
    await signIn(page, admin.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    // The worker answers within moments of the ingest; the request page lists what arrived.
    for (let i = 0; i < 40; i++) {
      await page.goto(`${baseUrl()}/requests/${massId}`);
      if ((await page.getByTestId("request-recommendations").count()) > 0) break;
      await page.waitForTimeout(250);
    }
    await screenshot(page, "request-recommendations");
    await page.getByTestId("request-recommendations").locator("a").first().click();
    await page.waitForURL(/\/recommendations\/[0-9a-f-]+$/);
    expect(await page.getByTestId("rec-impact").textContent()).toMatch(/Energy over 24 h[+-]?[\d,]+ kWh/);
    expect((await page.getByTestId("rec-narrative").textContent())!.length).toBeGreaterThan(20);
    expect(await page.getByTestId("call-log").locator("tbody tr").count()).toBeGreaterThan(0);
    await page.fill("#comment", "agreed with the facility team");
    await page.getByRole("button", { name: "Acknowledge" }).click();
    // The page re-renders with the review recorded in place of the form.
    await page.getByTestId("review-status").waitFor();
    expect(await page.getByTestId("review-status").textContent()).toContain("acknowledged by");
    expect(await page.getByTestId("review-status").textContent()).toContain("agreed with the facility team");
    await screenshot(page, "recommendation");
    const recId = page.url().split("/").pop()!;

    await page.goto(`${baseUrl()}/recommendations`);
    await page.getByTestId("biocore-status").waitFor();
    expect(await page.getByTestId("biocore-circuit").textContent()).toBe("closed");
    await screenshot(page, "recommendations");

    await page.goto(`${baseUrl()}/audit?target_id=${recId}`);
    const table = await page.locator("main").textContent();
    expect(table).toContain("recommendation.create");
    expect(table).toContain("recommendation.acknowledge");
    await page.close();
  });

  it("puts a failed recommendation job back in the queue from the status panel", async () => {
    const analyst = await userWithRole("analyst");
    const doc = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8"));
    doc.request.request_id = `req-e2e-retry-${randomBytes(3).toString("hex")}`;
    doc.request.idempotency_key = `idem-e2e-retry-${randomBytes(6).toString("hex")}`;
    const res = await call("/api/v1/mass/generate", { token: analyst.token, body: doc });
    expect(res.status).toBe(201);
    const massId = ((await res.json()) as { id: string }).id;
    const db = new pg.Client({ connectionString: inject("databaseUrl") });
    await db.connect();
    try {
      const jobStatus = async () =>
        (await db.query("select status from recommendation_job where mass_request_id = $1", [massId])).rows[0]
          ?.status as string | undefined;
      for (let i = 0; i < 80 && (await jobStatus()) !== "done"; i++) await new Promise((r) => setTimeout(r, 250));
      // As if BioCore had refused it after its attempts.
      await db.query(
        "update recommendation_job set status = 'failed', attempts = 12, last_error = 'e2e: refused (400)' where mass_request_id = $1",
        [massId],
      );
      const page = await browser.newPage();
      await signIn(page, analyst.email, TEST_PASSWORD);
      await page.waitForURL(`${baseUrl()}/`);
      await page.goto(`${baseUrl()}/recommendations`);
      const retry = page.getByTestId("retry-failed");
      await retry.waitFor();
      await screenshot(page, "recommendations-failed-jobs");
      await retry.getByRole("button").click();
      await page.getByText(/back in the queue/).waitFor();
      for (let i = 0; i < 80 && (await jobStatus()) !== "done"; i++) await new Promise((r) => setTimeout(r, 250));
      expect(await jobStatus()).toBe("done");
      await page.close();
    } finally {
      await db.end();
    }
  });
});
