// The import wizard in Chromium with a European BMS export: ';', decimal commas, dd/mm/yyyy local
// times in Europe/Paris across the October night the clocks go back (02:00–02:45 logged twice), and
// a column nothing recognises. Detected settings preselected, the zone chosen, the dry run's
// summary (the repeated hour read by order, the unknown column said), then stored: the rows' UTC
// instants in the database are the hand-computed ones.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, screenshot, signIn } from "../support/browser";
import { baseUrl, TEST_PASSWORD, userWithRole } from "../support/http";

const LOCAL = [
  "01:00",
  "01:15",
  "01:30",
  "01:45",
  "02:00",
  "02:15",
  "02:30",
  "02:45",
  "02:00",
  "02:15",
  "02:30",
  "02:45",
  "03:00",
  "03:15",
];
const FILE =
  "timestamp;site_id;IT load (kW);Facility power (kW);Bemerkung\n" +
  LOCAL.map(
    (t, i) =>
      `25/10/2026 ${t};par1;${(800 + i).toFixed(0)},${String(i * 25).padStart(2, "0")};${1100 + i},5;${i === 8 ? "Zeitumstellung" : ""}`,
  ).join("\n") +
  "\n";
// 01:00 CEST is 23:00 UTC the day before; every quarter hour after it is the next UTC quarter hour,
// the second 02:00 included (01:00 UTC, winter time).
const EXPECTED_UTC = LOCAL.map((_, i) => new Date(Date.parse("2026-10-24T23:00:00Z") + i * 900_000).toISOString());

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Serious and critical axe-core violations of the page as it stands (every step of the wizard shown). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: unknown,
          ) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    return (
      await axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      })
    ).violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("import wizard in Chromium", () => {
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

  it("reads a ';' / decimal-comma / Paris local-time file, shows the dry run and stores the right UTC instants", async () => {
    const name = `bms paris ${Date.now()}`;
    const analyst = await userWithRole("analyst");
    const page = await browser.newPage();
    await signIn(page, analyst.email, TEST_PASSWORD);
    await page.waitForURL(`${baseUrl()}/`);
    await page.goto(`${baseUrl()}/datasets`);
    await page.getByRole("link", { name: /Import a file step by step/ }).click();
    await page.waitForURL(`${baseUrl()}/datasets/import`);

    await page.setInputFiles("#wizard-file", {
      name: "bms-export.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(FILE),
    });
    await page.fill("#wizard-name", name);
    await page.getByRole("button", { name: "Read the file" }).click();
    await page.getByTestId("wizard-rows").waitFor();
    // Detected and preselected.
    expect(await page.locator("#opt-delimiter").inputValue()).toBe(";");
    expect(await page.locator("#opt-decimal").inputValue()).toBe(",");
    expect(await page.locator("#opt-date-format").inputValue()).toBe("dd/mm/yyyy");
    expect(await page.locator("#opt-timezone").inputValue()).toBe("UTC");
    expect(await page.getByTestId("wizard-naive").textContent()).toContain("14 rows have timestamps without an offset");
    const unknown = page.getByTestId("wizard-column").filter({ hasText: "Bemerkung" });
    expect(await unknown.textContent()).toContain("not recognised");
    expect(await page.getByLabel("Where “IT load (kW)” goes").inputValue()).toBe("it_load_kw");
    await screenshot(page, "import-wizard-read");

    await page.selectOption("#opt-timezone", "Europe/Paris");
    await page.getByRole("button", { name: "Check the whole file with these settings" }).click();
    const summary = page.getByTestId("wizard-summary");
    await summary.waitFor();
    expect(await summary.textContent()).toContain("14 rows would be stored");
    expect(await page.getByTestId("wizard-dst").textContent()).toBe(
      "Daylight saving time: 8 rows in the repeated hour: 4 read as its first occurrence (summer time), 4 as its second (winter time).",
    );
    expect(await page.getByTestId("wizard-ignored").textContent()).toBe(
      "Columns not stored: Bemerkung (ignored by the mapping)",
    );
    expect(await page.getByTestId("wizard-mapped").textContent()).toContain("IT load (kW) → it_load_kw");
    // The first rows as read: UTC instants and numbers.
    const firstRows = page.getByTestId("wizard-rows").locator("tbody tr");
    expect(await firstRows.nth(8).textContent()).toContain("2026-10-25T01:00:00.000Z");
    expect(await firstRows.nth(0).textContent()).toContain("800");
    await screenshot(page, "import-wizard-summary");
    // The accessibility sweep sees the wizard's first step; every step is checked here.
    expect(await seriousViolations(page)).toEqual([]);

    // Ask BioCore once stored (the upload's ask_biocore): one site, no cluster, in this file.
    await page.getByTestId("wizard-ask").getByRole("checkbox").check();
    await page.getByRole("button", { name: "Store as a new version" }).click();
    const stored = page.getByTestId("wizard-stored");
    await stored.waitFor();
    expect(await stored.textContent()).toContain(`Stored version 1 of “${name}”: 14 rows.`);
    expect(await page.getByTestId("wizard-asks").textContent()).toContain("BioCore was asked about 1 site or cluster.");
    const asked = await db.query<{ n: number }>(
      `select count(*)::int as n from mass_request m join recommendation_job j on j.mass_request_id = m.id
        where m.request_id like 'ask-%' and m.site_id = 'par1' and m.created_by_id = $1`,
      [analyst.id],
    );
    expect(asked.rows[0]!.n).toBe(1);
    const rows = await db.query<{ interval_start: Date; it_load_kw: number; facility_power_kw: number }>(
      `select o.interval_start, o.it_load_kw, o.facility_power_kw from observation o
         join dataset_version v on v.id = o.dataset_version_id join dataset d on d.id = v.dataset_id
        where d.name = $1 order by o.interval_start`,
      [name],
    );
    expect(rows.rows.map((r) => r.interval_start.toISOString())).toEqual(EXPECTED_UTC);
    expect(rows.rows[1]).toMatchObject({ it_load_kw: 801.25, facility_power_kw: 1101.5 });
    await screenshot(page, "import-wizard-stored");

    await page.getByRole("link", { name: "Open the version" }).click();
    await page.waitForURL(/\/datasets\/[0-9a-f-]+\/versions\/1$/);
    const facts = (await page.getByTestId("version-facts").textContent()) ?? "";
    expect(facts).toContain(
      "semicolon-separated, decimal comma, dates dd/mm/yyyy, zone Europe/Paris, 5 columns mapped",
    );
    expect(facts).toContain("repeated hour: 8 rows (by order: 4 earlier, 4 later)");
    await screenshot(page, "dataset-version-imported");
    await page.close();
  });
});
