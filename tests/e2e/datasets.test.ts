// A demo CSV uploaded in Chromium through /datasets: the new version and its quality report, then
// the same file again → the same version and no duplicate rows.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_DEMO, demoCsvLines } from "@/lib/demo/data";
import { launchBrowser, screenshot, signIn } from "../support/browser";
import { baseUrl, TEST_PASSWORD, userWithRole } from "../support/http";

describe("datasets page in Chromium", () => {
  let browser: Browser;
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  beforeAll(async () => {
    browser = await launchBrowser();
    await db.connect();
  });
  afterAll(async () => {
    await browser?.close();
    await db.end();
  });

  /** A new analyst signs in, opens /datasets and uploads `contents` as `<label>.csv`; the page, answered. */
  async function uploadAsAnalyst(label: string, contents: string): Promise<Page> {
    const file = join(mkdtempSync(join(tmpdir(), "pib-e2e-")), `${label}.csv`);
    writeFileSync(file, contents);
    const analyst = await userWithRole("analyst");
    const page = await browser.newPage();
    await signIn(page, analyst.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/datasets`);
    await page.setInputFiles("#file", file);
    await page.fill("#name", `${label} ${Date.now()}`);
    await page.getByRole("button", { name: "Upload" }).click();
    return page;
  }

  it("uploads a demo CSV, shows the version and its quality report, and stores the same file only once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pib-e2e-"));
    const file = join(dir, "demo-week.csv");
    writeFileSync(file, [...demoCsvLines({ ...DEFAULT_DEMO, days: 7 })].map((l) => `${l}\n`).join(""));
    const expectedRows = 7 * 96 * DEFAULT_DEMO.sites.reduce((n, s) => n + s.clusters.length, 0);
    const name = `demo week ${Date.now()}`;

    const analyst = await userWithRole("analyst");
    const page = await browser.newPage();
    await signIn(page, analyst.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Datasets" }).click();
    await page.waitForURL(`${baseUrl()}/datasets`);

    const upload = async () => {
      await page.setInputFiles("#file", file);
      await page.fill("#name", name);
      await page.getByRole("button", { name: "Upload" }).click();
      const result = page.getByTestId("upload-result");
      await result.waitFor();
      return (await result.textContent()) ?? "";
    };
    expect(await upload()).toContain(`Stored version 1 of “${name}”: ${expectedRows.toLocaleString("en")} rows`);
    await screenshot(page, "datasets");
    expect(await upload()).toContain(`These exact bytes are already version 1 of “${name}”`);
    const counted = await db.query(
      "select count(*)::int as n from observation o join dataset_version v on v.id = o.dataset_version_id join dataset d on d.id = v.dataset_id where d.name = $1",
      [name],
    );
    expect(counted.rows[0].n).toBe(expectedRows);

    await page.getByRole("link", { name: "Open the version and its quality report" }).click();
    await page.waitForURL(/\/datasets\/[0-9a-f-]+\/versions\/1$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`${name} · version 1`);
    expect(await page.getByTestId("quality-series").locator("tbody tr").count()).toBe(
      DEFAULT_DEMO.sites.reduce((n, s) => n + s.clusters.length, 0),
    );
    await page.getByTestId("missing-chart").waitFor();
    await page.getByTestId("coverage-chart").waitFor();
    expect(await page.getByTestId("version-sha").textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId("version-facts").textContent()).toContain("Interval900 s");
    await screenshot(page, "dataset-version");
    await page.close();
  });

  it("refuses a cross-site state change that rides on the session cookie", async () => {
    const analyst = await userWithRole("analyst");
    const page = await browser.newPage();
    await signIn(page, analyst.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    const session = (await page.context().cookies()).find((c) => c.name.endsWith("pib.session"))!;
    const post = (headers: Record<string, string>) =>
      fetch(`${baseUrl()}/api/v1/datasets?name=csrf`, {
        method: "POST",
        headers: { Cookie: `${session.name}=${session.value}`, "Content-Type": "text/csv", ...headers },
        body: "timestamp_utc,site_id,it_load_kw\n",
      });
    expect((await post({ "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
    expect((await post({ Origin: "https://evil.example" })).status).toBe(403);
    // The same request from the site itself passes the check (and fails on its content).
    expect((await post({ "Sec-Fetch-Site": "same-origin" })).status).toBe(422);
    const list = await fetch(`${baseUrl()}/api/v1/datasets`, {
      headers: { Cookie: `${session.name}=${session.value}`, "Sec-Fetch-Site": "cross-site" },
    });
    expect(list.status).toBe(200);
    await page.close();
  });

  it("shows every problem of a refused upload", async () => {
    const page = await uploadAsAnalyst(
      "bad",
      "timestamp_utc,site_id,it_load_kw\n2026-01-01T00:00:00Z,s1,12\n2026-01-01T00:15:00Z,s1,-3\nyesterday,s1,4\n",
    );
    const error = page.getByTestId("upload-error");
    await error.waitFor();
    expect(await error.textContent()).toContain("2 problems in 2 rows; nothing was stored");
    expect(await error.locator("tbody tr").count()).toBe(2);
    await page.close();
  });

  it("says which columns of an upload were not recognised and not stored", async () => {
    const page = await uploadAsAnalyst(
      "bms",
      "timestamp_utc,site_id,it_load_kw,Total Facility Power (MW),Chiller Power (kW)\n" +
        "2026-01-01T00:00:00Z,s1,12,0.02,3\n2026-01-01T00:15:00Z,s1,13,0.021,3.1\n",
    );
    await page.getByTestId("upload-result").waitFor();
    expect(await page.getByTestId("upload-ignored").textContent()).toContain(
      "2 columns were not recognised and not stored: “Total Facility Power (MW)”, “Chiller Power (kW)”",
    );
    await page.close();
  });
});
