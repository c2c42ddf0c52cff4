// "Ask BioCore" end to end in Chromium on a site known only from a CSV upload (no MASS at all):
// upload the dataset, ask about its site from the recommendations page, follow the link to the
// answer, open the recommendation with its explanation, and find the ask in the audit trail.
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, signIn } from "../support/browser";
import { baseUrl, TEST_PASSWORD, userWithRole } from "../support/http";

const HEADER =
  "timestamp_utc,site_id,cluster_id,it_load_kw,facility_power_kw,p95_rack_inlet_c,hotspot_rack_count,cooling_setpoint_c,chiller_kw,fan_power_kw,cooling_valve_position_pct,carbon_intensity_gco2_per_kwh,energy_price_usd_per_kwh";

/** A day of 15-minute rows of one cluster, cool enough that a setpoint raise is worth suggesting. */
function csvOf(site: string): string {
  const t0 = Date.parse("2026-04-02T00:00:00Z");
  const rows = Array.from({ length: 96 }, (_, i) => {
    const load = 1500 + (i % 8) * 10;
    return `${new Date(t0 + i * 900_000).toISOString()},${site},c1,${load},${(load * 1.4).toFixed(1)},24.5,0,18,410,95,62,180,0.14`;
  });
  return [HEADER, ...rows].join("\n") + "\n";
}

describe("Ask BioCore in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("asks about a CSV-only site and shows the recommendation, its explanation and the audit entry", async () => {
    const tenant = `e2e-ask-${randomBytes(3).toString("hex")}`;
    const site = `csv-site-${randomBytes(2).toString("hex")}`;
    const admin = await userWithRole("admin", [tenant]);
    const file = join(mkdtempSync(join(tmpdir(), "pib-e2e-")), `${site}.csv`);
    writeFileSync(file, csvOf(site));

    const page = await browser.newPage();
    await signIn(page, admin.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/datasets`);
    await page.setInputFiles("#file", file);
    await page.fill("#name", `ask ${site}`);
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByTestId("upload-result").waitFor();
    expect(await page.getByTestId("upload-result").textContent()).toContain("Stored version 1");

    await page.goto(`${baseUrl()}/recommendations`);
    const form = page.getByTestId("ask-biocore");
    await form.waitFor();
    await page.selectOption("#ask-scope", { label: `${site} (whole site)` });
    await page.selectOption("#ask-window", "last_day");
    await form.getByRole("button", { name: "Ask BioCore" }).click();
    const result = page.getByTestId("ask-biocore-result");
    await result.getByRole("status").waitFor();
    expect(await result.textContent()).toContain(`Asked: BioCore's answer about ${site} (96 observations`);
    await screenshot(page, "recommendations-ask");
    const link = result.getByRole("link", { name: "Its recommendations" });
    const href = (await link.getAttribute("href"))!;
    const massRequestId = new URL(href, baseUrl()).searchParams.get("mass_request_id")!;
    await link.click();
    await page.waitForURL(/mass_request_id=/);

    // The worker answers within moments; the list shows the recommendation once stored.
    for (let i = 0; i < 60 && (await page.getByTestId("recommendations").count()) === 0; i++) {
      await page.waitForTimeout(250);
      await page.reload();
    }
    const rows = page.getByTestId("recommendations").locator("tbody tr");
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.first().textContent()).toContain(site);
    await rows.first().getByRole("link").click();
    await page.waitForURL(/\/recommendations\/[0-9a-f-]+$/);
    expect((await page.getByTestId("rec-narrative").textContent())!.length).toBeGreaterThan(20);
    expect(await page.getByTestId("call-log").locator("tbody tr").count()).toBeGreaterThan(0);
    await screenshot(page, "recommendation-from-csv");

    await page.goto(`${baseUrl()}/audit?target_id=${massRequestId}`);
    expect(await page.locator("main").textContent()).toContain("recommendation.ask");
    await page.close();
  }, 120_000);
});
