// Overlapping data in Chromium (issue 17 item 1): one site uploaded twice under two dataset names,
// plus a MASS reading for an interval both already hold. The overview counts every interval once
// (facility above IT, coverage 100 %) and names which source won the overlapped hours, and the
// second upload's page says where it overlapped.
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, signIn } from "../support/browser";
import { baseUrl, call, freshIp, TEST_PASSWORD, userWithRole } from "../support/http";

describe("overlapping datasets in Chromium", () => {
  let browser: Browser;
  const tenant = `overlap-${randomBytes(3).toString("hex")}`;
  let secondDataset = "";
  beforeAll(async () => {
    browser = await launchBrowser();
    const analyst = await userWithRole("analyst");
    // Ten hours of 15-minute rows of one site: 150 kW facility, 100 kW IT → 1,500 and 1,000 kWh.
    const lines = ["timestamp_utc,site_id,interval_seconds,it_load_kw,facility_power_kw"];
    for (let i = 0; i < 40; i++)
      lines.push(`${new Date(Date.parse("2026-04-01T00:00:00Z") + i * 900_000).toISOString()},lon1,900,100,150`);
    const csv = `${lines.join("\n")}\n`;
    for (const name of ["BMS export", "BMS export (again)"]) {
      const res = await fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name, tenant_id: tenant })}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${analyst.token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
        body: csv,
      });
      expect(res.status).toBe(201);
      secondDataset = ((await res.json()) as { dataset: { id: string } }).dataset.id;
    }
    const mass = await call("/api/v1/mass", {
      token: analyst.token,
      headers: { "Idempotency-Key": `${tenant}-mass` },
      body: {
        payload: {
          tenant_id: tenant,
          site_id: "lon1",
          timestamp_utc: "2026-04-01T03:00:00Z",
          interval_seconds: 900,
          it_load_kw: 500,
          facility_power_kw: 900,
        },
      },
    });
    expect(mass.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("counts each interval once on the overview and says where the upload overlapped", async () => {
    const viewer = await userWithRole("viewer", [tenant]);
    const page = await browser.newPage();
    await signIn(page, viewer.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(
      `${baseUrl()}/?${new URLSearchParams({ tenant_id: tenant, period: "custom", from: "2026-04-01T00:00:00Z", to: "2026-04-01T10:00:00Z" })}`,
    );
    const value = (key: string) => page.getByTestId(`kpi-${key}`).getByTestId("kpi-value").textContent();
    expect(await value("facility")).toBe("1,500");
    expect(await value("it")).toBe("1,000");
    expect(await value("pue")).toBe("1.500");
    expect(await value("coverage")).toBe("100.0");
    // Which source won: the second upload counts for the ten hours, the first and MASS are left out.
    const overlaps = page.getByTestId("overlaps");
    expect(await overlaps.textContent()).toContain("10 asset-hours of this period are held by more than one source");
    expect(await page.getByTestId("overlap-sources").locator("li").allTextContents()).toEqual([
      '"BMS export (again)" v1: counted for 10 h',
      '"BMS export" v1: left out for 10 h',
      "MASS readings: left out for 1 h",
    ]);
    await screenshot(page, "overview-overlapping-datasets");

    await page.goto(`${baseUrl()}/datasets/${secondDataset}/versions/1`);
    expect(await page.getByTestId("version-warnings").textContent()).toContain(
      'overlaps dataset "BMS export" v1 on 10 hours',
    );
    await page.close();
  });
});
