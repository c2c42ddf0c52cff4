// An M&V study in Chromium on the demo data around its setpoint event: from the before/after
// page's link to a prefilled study, run, fit statistics with pass/fail and a positive avoided
// energy with its uncertainty, then the PDF (holding the avoided kWh) and the CSV (one row per
// reporting interval).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, signIn } from "../support/browser";
import { demoWindowCsv } from "../support/demo-window";
import { baseUrl, freshIp, TEST_PASSWORD, userWithRole } from "../support/http";
import { pdfText } from "../support/pdf-text";

describe("M&V in Chromium", () => {
  let browser: Browser;
  const tenant = `mv-e2e-${randomBytes(3).toString("hex")}`;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("creates a study from before/after, runs it, and exports PDF and CSV", async () => {
    const analyst = await userWithRole("analyst", [tenant]);
    const { csv } = demoWindowCsv(["mad1"], "2026-03-01T00:00:00Z", "2026-07-01T00:00:00Z");
    const upload = await fetch(
      `${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name: "demo mad1 spring", tenant_id: tenant })}`,
      {
        method: "POST",
        headers: { Authorization: `Bearer ${analyst.token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
        body: csv,
      },
    );
    expect(upload.status).toBe(201);

    const page = await browser.newPage({ acceptDownloads: true });
    await signIn(page, analyst.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/before-after?tenant_id=${tenant}&site_id=mad1`);
    await page.getByTestId("not-normalized").waitFor();
    await page.getByTestId("create-mv-study").click();
    await page.waitForURL(/\/mv\/new\?/);
    // Prefilled from the comparison: the event's site and its two periods.
    expect(await page.inputValue("#site_id")).toBe("mad1");
    expect(await page.inputValue("#reporting_from")).toBe("2026-06-01");
    expect(await page.inputValue("#baseline_to")).toBe("2026-06-01");
    expect(await page.locator("input[name=dataset_version_ids]:checked").count()).toBe(1);
    // A longer baseline and a month of reporting, as an M&V practitioner would choose.
    await page.fill("#baseline_from", "2026-03-01");
    await page.fill("#reporting_to", "2026-07-01");
    await page.fill("#name", "Setpoint 22 → 24 °C, mad1, Option B");
    // The Advanced section preselects the default conventions.
    await page.getByTestId("study-conventions").locator("summary").click();
    expect(await page.inputValue("#conv_degree_days")).toBe("hourly");
    expect(await page.inputValue("#conv_autocorrelation")).toBe("consecutive");
    expect(await page.inputValue("#conv_uncertainty_df")).toBe("n_effective_minus_p");
    expect(await page.inputValue("#conv_price_weighting")).toBe("boundary_energy");
    await screenshot(page, "mv-new-study");
    await page.getByRole("button", { name: "Create study" }).click();
    await page.waitForURL(/\/mv\/studies\/[0-9a-f-]+$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Setpoint 22 → 24 °C, mad1, Option B");

    await page.getByRole("button", { name: "Run study" }).click();
    await page.waitForURL(/\/mv\/reports\/[0-9a-f-]+$/);
    const avoided = (await page.getByTestId("mv-avoided").locator("p").nth(1).textContent())!;
    const avoidedKwh = Number(avoided.replace(/[^0-9.-]/g, ""));
    expect(avoidedKwh).toBeGreaterThan(0);
    const uncertainty = (await page.getByTestId("mv-uncertainty").locator("p").nth(1).textContent())!;
    expect(Number(uncertainty.replace(/[^0-9.]/g, ""))).toBeGreaterThan(0);
    expect(Number(uncertainty.replace(/[^0-9.]/g, ""))).toBeLessThan(avoidedKwh);
    expect(await page.getByTestId("mv-cvrmse").textContent()).toMatch(/pass|fail/);
    expect(await page.getByTestId("mv-nmbe").textContent()).toMatch(/pass|fail/);
    await page.getByTestId("mv-chart-cumulative").waitFor();
    await screenshot(page, "mv-report");

    const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByTestId("mv-export-pdf").click()]);
    const bytes = readFileSync((await pdf.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const text = await pdfText(bytes);
    expect(text).toContain("Avoided energy");
    expect(text).toContain("Conventions");
    expect(text).toContain(avoided);

    const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId("mv-export-csv").click()]);
    const parsed = Papa.parse<Record<string, string>>(
      readFileSync((await csvDownload.path())!, "utf8").replace(/^\uFEFF/, ""),
      { header: true, comments: "#", skipEmptyLines: true },
    );
    expect(parsed.data.filter((r) => r.period === "reporting")).toHaveLength(30);

    await page.goto(`${baseUrl()}/mv`);
    await page.getByTestId("studies").waitFor();
    await screenshot(page, "mv-studies");
    await page.getByRole("link", { name: "Setpoint 22 → 24 °C, mad1, Option B" }).click();
    await page.getByTestId("reports").waitFor();
    await screenshot(page, "mv-study");
    await page.close();
  });
});
