// The overview in Chromium on demo data: a KPI card equals the same KPI computed by SQL here; a
// filter changes the URL and the numbers.
import pg from "pg";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { pdfText } from "../support/pdf-text";
import { launchBrowser, screenshot, settled, signIn } from "../support/browser";
import { baseUrl, TEST_PASSWORD, userWithRole } from "../support/http";
import { uploadDemoDays } from "../support/demo-upload";

describe("overview in Chromium", () => {
  let browser: Browser;
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  const tenant = `overview-${Date.now()}`;
  beforeAll(async () => {
    browser = await launchBrowser();
    await db.connect();
    const analyst = await userWithRole("analyst");
    await uploadDemoDays({ name: "overview", tenant, token: analyst.token, start: "2026-05-25T00:00:00Z", days: 14 });
  });
  afterAll(async () => {
    await browser?.close();
    await db.end();
  });

  const sqlPue = async (cluster?: string) => {
    const { rows } = await db.query(
      `select sum(facility_power_kw * interval_seconds) / sum(it_load_kw * interval_seconds) as pue, sum(facility_power_kw * interval_seconds) / 3600 / 1000 as mwh
         from observation where tenant_id = $1 and ($2::text is null or cluster_id = $2)`,
      [tenant, cluster ?? null],
    );
    return {
      pue: Number(rows[0].pue).toFixed(3),
      mwh: Number(rows[0].mwh).toLocaleString("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    };
  };

  it("shows KPI values equal to SQL over the stored data, and a filter changes URL and values", async () => {
    const viewer = await userWithRole("viewer");
    const page = await browser.newPage();
    await signIn(page, viewer.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/?tenant_id=${tenant}`);
    const value = (key: string) => page.getByTestId(`kpi-${key}`).getByTestId("kpi-value").textContent();
    const all = await sqlPue();
    expect(await value("pue")).toBe(all.pue);
    expect(await value("facility")).toBe(all.mwh);
    // 14 days of data in the default 30-day period.
    expect(await page.getByTestId("kpi-coverage").getByTestId("kpi-value").textContent()).toBe(
      ((14 / 30) * 100).toFixed(1),
    );
    await page.getByTestId("chart-power").waitFor();
    await screenshot(page, "overview");

    await page.selectOption("#cluster_id", "c03");
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await page.waitForURL(/cluster_id=c03/);
    const one = await sqlPue("c03");
    expect(one.pue).not.toBe(all.pue);
    expect(await value("pue")).toBe(one.pue);
    await page.close();
  });

  it("shows the demo's setpoint event on the before/after page", async () => {
    const viewer = await userWithRole("viewer");
    const page = await browser.newPage();
    await signIn(page, viewer.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.getByRole("link", { name: "Before / after" }).click();
    await page.waitForURL(`${baseUrl()}/before-after`);
    await page.goto(`${baseUrl()}/before-after?tenant_id=${tenant}&days=7`);
    const periods = await page.getByTestId("compare-periods").textContent();
    expect(periods).toContain(
      "Before 2026-05-25 00:00 → 2026-06-01 00:00 · after 2026-06-01 00:00 → 2026-06-08 00:00 UTC",
    );
    expect(periods).toMatch(/setpoint 22 → 24 °C/);
    expect(await page.getByTestId("not-normalized").textContent()).toContain("not normalized for load or weather");
    const cooling = await page.getByTestId("compare-coolingKwh").locator("td").last().textContent();
    expect(cooling).toMatch(/^-\d+\.\d %$/);
    const inlet = await page.getByTestId("compare-avgInletC").locator("td").nth(3).textContent();
    expect(inlet).toMatch(/ K$/);
    expect(Number(inlet!.replace(/ K$/, ""))).toBeGreaterThan(1.5);
    await page.getByTestId("profile-power").waitFor();
    await screenshot(page, "before-after");
    await page.close();
  });

  it("downloads the filtered observations as CSV and a PDF report holding the KPI values", async () => {
    const analyst = await userWithRole("analyst");
    const page = await browser.newPage({ acceptDownloads: true });
    await signIn(page, analyst.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/?tenant_id=${tenant}&cluster_id=c02`);
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    const rows = Papa.parse<Record<string, string>>(readFileSync((await csv.path())!, "utf8").replace(/^\uFEFF/, ""), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const { rows: counted } = await db.query(
      "select count(*)::int as n from observation where tenant_id = $1 and cluster_id = 'c02'",
      [tenant],
    );
    expect(rows).toHaveLength(counted[0].n);
    expect(new Set(rows.map((r) => r.cluster_id))).toEqual(new Set(["c02"]));

    const pue = await page.getByTestId("kpi-pue").getByTestId("kpi-value").textContent();
    const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-pdf").click()]);
    const bytes = readFileSync((await pdf.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const text = await pdfText(bytes);
    expect(text).toMatch(new RegExp(`PUE \\(energy-weighted\\)\\s+${pue!.replace(".", "\\.")}`));
    expect(text.replace(/\s+/g, "")).toContain("cluster_id=c02");
    await page.close();
  });

  it("pages, sorts and picks columns of the observations table", async () => {
    const viewer = await userWithRole("viewer");
    const page = await browser.newPage();
    await signIn(page, viewer.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/observations?tenant_id=${tenant}`);
    const table = page.getByTestId("observations-table");
    expect(await table.locator("tbody tr").count()).toBe(50);
    await page.getByTestId("sort-it_load_kw").click();
    await page.waitForURL(/sort=it_load_kw/);
    await page.getByTestId("sort-it_load_kw").click();
    await page.waitForURL(/desc=true/);
    await settled(page);
    const { rows } = await db.query("select max(it_load_kw) as m from observation where tenant_id = $1", [tenant]);
    const column = (await table.locator("thead th").allTextContents()).findIndex((h) => h.startsWith("it_load_kw"));
    const first = await table.locator("tbody tr").first().locator("td").nth(column).textContent();
    expect(Number(first!.replace(/,/g, ""))).toBeCloseTo(rows[0].m, 4);
    await page.getByTestId("column-picker").locator("summary").click();
    await page.getByLabel("chiller_kw").check();
    await page.waitForURL(/cols=/);
    await settled(page);
    expect(await table.locator("thead th").allTextContents()).toContain("chiller_kw");
    await screenshot(page, "observations");
    await page.close();
  });

  it("zooms into a range dragged across a chart", async () => {
    const viewer = await userWithRole("viewer");
    const page = await browser.newPage();
    await signIn(page, viewer.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/?tenant_id=${tenant}`);
    const errors: string[] = [];
    page.on("console", (m) => errors.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => errors.push(e.message));
    const chart = page.getByTestId("chart-pue");
    await page.waitForLoadState("networkidle");
    await chart.scrollIntoViewIfNeeded();
    // The plot area (uPlot's overlay): 30 % to 60 % of it is 30 % to 60 % of the period.
    const box = (await chart.locator(".u-over").boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    const selected = await chart.locator(".u-select").boundingBox();
    expect(selected!.width).toBeGreaterThan(box.width * 0.25);
    await page.mouse.up();
    await page.waitForURL(/period=custom/, { timeout: 10_000 }).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${errors.join("\n")}`);
    });
    const url = new URL(page.url());
    const from = Date.parse(`${url.searchParams.get("from")}Z`);
    const to = Date.parse(`${url.searchParams.get("to")}Z`);
    // 30 % to 60 % of the 30-day period shown: 9 days (to the minute the URL keeps).
    expect(to - from).toBeGreaterThan(8.9 * 86_400_000);
    expect(to - from).toBeLessThan(9.1 * 86_400_000);
    await page.close();
  });
});
