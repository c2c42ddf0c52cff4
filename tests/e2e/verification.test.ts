// Predicted vs verified end to end in Chromium on the demo data: the demo's setpoint recommendation,
// recorded as implemented through the API (the same function the first-start demo uses), shows its
// verification study and the verdict "confirmed" with predicted and verified numbers; the scorecard
// shows it; its PDF downloads and holds those numbers.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, signIn } from "../support/browser";
import { baseUrl, call, TEST_PASSWORD, userWithRole } from "../support/http";
import { pdfText } from "../support/pdf-text";
import { demoRecommendation, uploadDemoWindow } from "../support/verification";

describe("predicted vs verified in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows the implemented recommendation confirmed, the scorecard, and its PDF", async () => {
    const tenant = `e2e-verify-${randomBytes(3).toString("hex")}`;
    const analyst = await userWithRole("analyst", [tenant]);
    await uploadDemoWindow(analyst.token, tenant, "2026-05-01T00:00:00Z", "2026-07-01T00:00:00Z");
    const rec = await demoRecommendation(analyst.token, tenant);
    const res = await call(`/api/v1/recommendations/${rec.id}/implementation`, {
      token: analyst.token,
      body: {
        outcome: "implemented",
        effective_at: "2026-06-01T00:00:00Z",
        applied_value: 24,
        note: "demo setpoint raise",
      },
    });
    expect(res.status).toBe(201);
    const view = (await res.json()) as {
      comparison: { predicted: { energyKwh: number }; verified: { energyKwh: number; energyU90Kwh: number } };
    };
    const predicted = Math.round(view.comparison.predicted.energyKwh).toLocaleString("en");
    const verified = Math.round(view.comparison.verified.energyKwh).toLocaleString("en");

    const page = await browser.newPage();
    await signIn(page, analyst.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/recommendations/${rec.id}`);
    expect(await page.getByTestId("verdict").textContent()).toBe("confirmed");
    expect(await page.getByTestId("predicted-kwh").textContent()).toBe(`${predicted} kWh`);
    expect(await page.getByTestId("verified-kwh").textContent()).toContain(`${verified} kWh ±`);
    expect(await page.getByTestId("verification-study").textContent()).toContain("cooling boundary, Option B");
    // 24 °C applied against BioCore's smaller suggestion: said, and the prediction scaled beside the original.
    expect(await page.getByTestId("applied-vs-suggested").textContent()).toMatch(
      /applied 24 °C, suggested [\d.]+ °C\. The prediction is scaled by the change applied ÷ the change suggested/,
    );
    expect(await page.getByTestId("scaled-kwh").textContent()).toMatch(/^[\d,]+ kWh$/);
    const chart = page.getByTestId("predicted-verified-chart");
    expect(await chart.getByTestId("chart-predicted").count()).toBe(1);
    expect(await chart.getByTestId("chart-scaled").count()).toBe(1);
    expect(await chart.getByTestId("chart-verified").count()).toBe(1);
    await screenshot(page, "recommendation-verified");

    await page.getByTestId("verification-study").getByRole("link").first().click();
    await page.waitForURL(/\/mv\/studies\//);
    expect(await page.textContent("h1")).toContain("Verification: cooling setpoint");

    await page.goto(`${baseUrl()}/scorecard`);
    const summary = (await page.getByTestId("scorecard-summary").textContent())!;
    expect(summary).toContain("1 confirmed");
    expect(summary).toContain(`${verified} kWh`);
    expect(summary).toContain("0 inconclusive, not in the totals");
    expect(await page.getByTestId("scorecard-applied").textContent()).toMatch(/applied 24 °C, suggested/);
    expect(await page.getByTestId("calibration-point").count()).toBe(1);
    expect(await page.getByTestId("scorecard-misses").textContent()).toContain("cooling setpoint");
    await screenshot(page, "scorecard");

    const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByTestId("scorecard-pdf").click()]);
    const bytes = readFileSync((await pdf.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const text = await pdfText(bytes);
    expect(text).toContain("BioCore scorecard");
    expect(text).toContain(`${verified} kWh`);
    expect(text).toContain(`${predicted} kWh`);
    await page.close();
  }, 120_000);
});
