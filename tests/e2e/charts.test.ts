// The interactive charts in Chromium: uPlot canvases on the overview with a crosshair synced across
// the trend charts and values in the legend on hover, the events marked on the trends (the demo's
// setpoint change, a dataset load), the per-zone rack-inlet heatmap with one row per zone of the
// stored data, and the before/after page's event marked on its trend.
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, screenshot, signIn } from "../support/browser";
import { baseUrl, TEST_PASSWORD, userWithRole } from "../support/http";
import { uploadDemoDays } from "../support/demo-upload";

describe("interactive charts in Chromium", () => {
  let browser: Browser;
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  const tenant = `charts-${Date.now()}`;
  beforeAll(async () => {
    browser = await launchBrowser();
    await db.connect();
    const analyst = await userWithRole("analyst");
    await uploadDemoDays({ name: "charts", tenant, token: analyst.token, start: "2026-05-25T00:00:00Z", days: 14 });
  });
  afterAll(async () => {
    await browser?.close();
    await db.end();
  });

  const open = async (path: string): Promise<{ page: Page; errors: string[] }> => {
    const viewer = await userWithRole("viewer");
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    await signIn(page, viewer.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}${path}`);
    return { page, errors };
  };

  it("draws the trends on canvas, syncs the crosshair across charts and shows values on hover", async () => {
    const { page, errors } = await open(`/?tenant_id=${tenant}`);
    const power = page.getByTestId("chart-power");
    const pue = page.getByTestId("chart-pue");
    await power.locator("canvas").waitFor();
    expect(await page.getByTestId("trends").locator(".uplot canvas").count()).toBe(5);
    // Axis text is 12 px (set on the canvas context; the legend is HTML).
    expect(await power.locator(".u-legend").evaluate((e) => getComputedStyle(e).fontSize)).toBe("12px");

    const cursorOf = (chart: typeof pue) =>
      chart.locator(".u-cursor-x").evaluate((e) => ({ off: e.classList.contains("u-off"), t: e.style.transform }));
    const before = await cursorOf(pue);
    await power.scrollIntoViewIfNeeded();
    const box = (await power.locator(".u-over").boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2, { steps: 3 });
    const after = await cursorOf(pue);
    expect(after.off).toBe(false);
    expect(after.t).not.toBe(before.t);
    // The two crosshairs stand at the same instant: the same fraction of their plots' width.
    const fraction = async (chart: typeof pue) => {
      const { t } = await cursorOf(chart);
      const width = (await chart.locator(".u-over").boundingBox())!.width;
      return Number(/translate\(([-\d.]+)px/.exec(t)?.[1]) / width;
    };
    expect(await fraction(power)).toBeCloseTo(0.55, 2);
    expect(Math.abs((await fraction(power)) - (await fraction(pue)))).toBeLessThan(0.01);
    // The legends show the values under the cursor at once.
    const facility = await power.locator(".u-series").nth(1).locator(".u-value").textContent();
    expect(facility).toMatch(/^[\d,]+(\.\d+)? kW$/);
    const pueValue = await pue.locator(".u-series").nth(1).locator(".u-value").textContent();
    expect(Number(pueValue)).toBeGreaterThan(1);
    await screenshot(page, "overview-chart-hover");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("marks the setpoint change and a dataset load on the trends, with their labels", async () => {
    const { page } = await open(`/?tenant_id=${tenant}`);
    const power = page.getByTestId("chart-power");
    await power.locator("canvas").waitFor();
    const setpoints = power.locator('[data-testid="chart-annotation"][data-kind="setpoint"]');
    await setpoints.first().waitFor();
    const { rows: sites } = await db.query("select distinct site_id from observation where tenant_id = $1", [tenant]);
    expect(await setpoints.count()).toBe(sites.length);
    const labels = await setpoints.allTextContents();
    for (const { site_id } of sites) expect(labels).toContain(`${site_id}: setpoint 22 → 24 °C`);
    expect(await setpoints.first().isVisible()).toBe(true);
    // The dataset was loaded now, after its data ends: a period reaching today shows the load.
    const to = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);
    await page.goto(`${baseUrl()}/?tenant_id=${tenant}&period=custom&from=2026-05-25T00:00&to=${to}`);
    const load = page.getByTestId("chart-power").locator('[data-testid="chart-annotation"][data-kind="dataset"]');
    await load.waitFor();
    expect(await load.textContent()).toBe("Loaded charts v1");
    expect(await load.isVisible()).toBe(true);
    await page.close();
  });

  it("draws the rack-inlet heatmap with a row per zone and hover values", async () => {
    const { page } = await open(`/?tenant_id=${tenant}`);
    const heatmap = page.getByTestId("inlet-heatmap");
    await heatmap.waitFor();
    const { rows } = await db.query(
      `select count(distinct concat_ws(' / ', site_id, coalesce(zone_id, cluster_id)))::int as n
         from observation where tenant_id = $1 and p95_rack_inlet_c is not null`,
      [tenant],
    );
    expect(rows[0].n).toBeGreaterThan(1);
    expect(await heatmap.getByTestId("heatmap-row").count()).toBe(rows[0].n);
    const first = heatmap.getByTestId("heatmap-row").first();
    await heatmap.scrollIntoViewIfNeeded();
    const box = (await first.locator("svg").boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    const tip = await heatmap.getByTestId("heatmap-tooltip").textContent();
    expect(tip).toContain(await first.locator("span").first().textContent());
    expect(tip).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC .*: [\d.]+ °C \(max [\d.]+ °C\)/);
    await page.close();
  });

  it("marks the setpoint event on the before/after trend", async () => {
    const { page } = await open(`/before-after?tenant_id=${tenant}&days=7`);
    const trend = page.getByTestId("before-after-trend");
    await trend.locator("canvas").waitFor();
    const marks = trend.locator('[data-testid="chart-annotation"][data-kind="setpoint"]');
    await marks.first().waitFor();
    expect(await marks.first().textContent()).toMatch(/: setpoint 22 → 24 °C$/);
    expect(await page.getByTestId("profile-power").locator("canvas").count()).toBeGreaterThan(0);
    await page.close();
  });
});
