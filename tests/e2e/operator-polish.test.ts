// Operator experience in Chromium: people shown by email on the audit trail (never `user:<uuid>`),
// the M&V form's scope chosen from the data and a study prefilled from before/after that runs
// without a sufficiency failure, and a dataset version's coverage calendar.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, screenshot, settled, signIn } from "../support/browser";
import { demoWindowCsv } from "../support/demo-window";
import { baseUrl, freshIp, TEST_PASSWORD, userWithRole } from "../support/http";
import { pdfText } from "../support/pdf-text";

/** With TEST_PDF_DIR set, the exported PDFs are kept there (to render them to PNG for docs/screenshots). */
function keepPdf(name: string, bytes: Uint8Array): void {
  const dir = process.env.TEST_PDF_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.pdf`), bytes);
}

async function upload(token: string, tenant: string, name: string, csv: string): Promise<{ dataset: { id: string } }> {
  const res = await fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name, tenant_id: tenant })}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
    body: csv,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { dataset: { id: string } };
}

describe("operator experience in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows people on the audit trail by email, not by id", async () => {
    const created = await userWithRole("viewer", [`audit-${randomBytes(3).toString("hex")}`]);
    const page = await browser.newPage();
    await signIn(page, inject("adminEmail"), inject("adminPassword"));
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/audit?action=user.create`);
    const table = page.getByTestId("audit-table");
    await table.waitFor();
    const text = (await table.textContent())!;
    // The created user appears as the target by email; no row shows a `user:<uuid>` actor or target.
    expect(text).toContain(created.email);
    expect(text).not.toMatch(/user:[0-9a-f]{8}/);
    expect(text).toContain(inject("adminEmail"));
    await screenshot(page, "audit");
    const pdf = await page.request.get(`${baseUrl()}/api/v1/audit/export.pdf?action=user.create`);
    expect(pdf.status()).toBe(200);
    const bytes = await pdf.body();
    keepPdf("audit-trail", bytes);
    const pdfWords = (await pdfText(bytes)).replace(/\s+/g, " ");
    // A long address may wrap inside its cell: compared without the spaces the wrapping adds.
    expect(pdfWords.replace(/\s+/g, "")).toContain(created.email);
    expect(pdfWords).not.toMatch(/\.\d{3}Z|\d{2}:\d{2}:\d{2}\.\d{3}/);

    await page.close();
  });

  it("sizes the dashboard's Source select to its longest option", async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
    await signIn(page, inject("adminEmail"), inject("adminPassword"));
    await page.waitForURL(`${baseUrl()}/`);
    const room = await page.locator("#source").evaluate((el) => {
      const select = el as HTMLSelectElement;
      const style = getComputedStyle(select);
      const context = document.createElement("canvas").getContext("2d")!;
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const longest = Math.max(...[...select.options].map((o) => context.measureText(o.text).width));
      const inner = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return inner - longest;
    });
    expect(room).toBeGreaterThanOrEqual(0);
    await page.close();
  });

  it("offers the data's sites in the M&V form and runs the study prefilled from before/after", async () => {
    const tenant = `polish-mv-${randomBytes(3).toString("hex")}`;
    const analyst = await userWithRole("analyst", [tenant]);
    const { csv } = demoWindowCsv(["mad1"], "2026-03-01T00:00:00Z", "2026-07-01T00:00:00Z");
    await upload(analyst.token, tenant, "demo mad1 spring", csv);

    const page = await browser.newPage();
    await signIn(page, analyst.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/before-after?tenant_id=${tenant}&site_id=mad1`);
    await page.getByTestId("create-mv-study").click();
    await page.waitForURL(/\/mv\/new\?/);
    // The site is a select of the data's sites, the prefilled one chosen.
    const siteOptions = await page
      .locator("#site_id option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(siteOptions).toEqual(["", "mad1"]);
    expect(await page.inputValue("#site_id")).toBe("mad1");
    expect(await page.getByTestId("sufficiency-rule").textContent()).toContain("≥ 28 days");
    // The baseline reaches back far enough for the 28-day rule (32 days: 10 % may be missing).
    expect(await page.inputValue("#baseline_to")).toBe("2026-06-01");
    expect(await page.inputValue("#baseline_from")).toBe("2026-04-30");
    await screenshot(page, "mv-new-study-prefilled");
    await page.getByRole("button", { name: "Create study" }).click();
    await page.waitForURL(/\/mv\/studies\/[0-9a-f-]+$/);
    await page.getByRole("button", { name: "Run study" }).click();
    await page.waitForURL(/\/mv\/reports\/[0-9a-f-]+$/);
    await settled(page);
    const sufficiencyRow = page.locator("tr", { hasText: "Data sufficiency" }).first();
    expect(await sufficiencyRow.textContent()).toContain("pass");

    // The dashboard's PDF report of the same data: instants without milliseconds, the unit above the ticks.
    const kpi = await page.request.get(`${baseUrl()}/api/v1/kpi/report.pdf?tenant_id=${tenant}&period=90d`);
    expect(kpi.status()).toBe(200);
    const kpiBytes = await kpi.body();
    keepPdf("kpi-report", kpiBytes);
    const kpiText = await pdfText(kpiBytes);
    expect(kpiText).not.toMatch(/\.\d{3}Z/);
    expect(kpiText).toContain("Facility vs IT power");
    await page.close();
  });

  it("draws a dataset version's coverage calendar, one cell per day", async () => {
    const tenant = `polish-cal-${randomBytes(3).toString("hex")}`;
    const analyst = await userWithRole("analyst", [tenant]);
    // 2026-01-01 … 2026-01-10, hourly, with 2026-01-04 missing and 2026-01-07 half there.
    const lines = ["timestamp_utc,site_id,it_load_kw"];
    for (let d = 1; d <= 10; d++)
      for (let h = 0; h < 24; h++) {
        if (d === 4 || (d === 7 && h >= 12)) continue;
        lines.push(`2026-01-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:00:00Z,cal1,${100 + h}`);
      }
    const { dataset } = await upload(analyst.token, tenant, "calendar", `${lines.join("\n")}\n`);
    const page = await browser.newPage();
    await signIn(page, analyst.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/datasets/${dataset.id}/versions/1`);
    const calendar = page.getByTestId("coverage-calendar");
    await calendar.waitFor();
    expect(await calendar.locator("rect[data-day]").count()).toBe(10);
    expect(await calendar.locator('rect[data-day="2026-01-04"] title').textContent()).toContain("0.0 %");
    expect(await calendar.locator('rect[data-day="2026-01-07"] title').textContent()).toContain("50.0 %");
    expect(await calendar.getByRole("img").getAttribute("aria-label")).toContain(
      "8 complete, 1 partial, 1 without data",
    );
    await calendar.getByText("Coverage per day (table)").click();
    expect(await calendar.getByTestId("coverage-table").locator("tbody tr").count()).toBe(10);
    await screenshot(page, "dataset-version-coverage");
    await page.close();
  });
});
