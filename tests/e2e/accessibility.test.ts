// Every page through axe-core in Chromium, in the light and the dark theme: no serious or critical
// violation (colour contrast included).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signIn } from "../support/browser";
import { adminToken, baseUrl, freshIp, TEST_PASSWORD, uniqueEmail } from "../support/http";
import { uploadDemoDays } from "../support/demo-upload";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

// Swagger UI (third party) wraps each operation's summary button in another clickable element;
// that one rule is accepted on /docs inside the explorer, and nothing else.
const ACCEPTED: { path: string; rule: string; within: RegExp }[] = [
  { path: "/docs", rule: "nested-interactive", within: /^#operations-/ },
];

async function seriousViolations(page: Page, path = ""): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Violation[] }> } }
    ).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .filter(
      (v) =>
        !ACCEPTED.some(
          (a) => a.path === path && a.rule === v.id && v.nodes.every((n) => a.within.test(n.target.join(" "))),
        ),
    )
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(", ")}`,
    );
}

describe("accessibility (axe-core)", () => {
  let browser: Browser;
  let datasetPath = "";
  let studyPath = "";
  let reportPath = "";
  const tenant = `a11y-${Date.now()}`;
  const email = uniqueEmail("a11y-admin");
  beforeAll(async () => {
    browser = await launchBrowser();
    const admin = await adminToken();
    const created = await fetch(`${baseUrl()}/api/v1/users`, {
      method: "POST",
      headers: { Authorization: `Bearer ${admin}`, "Content-Type": "application/json", "X-Forwarded-For": freshIp() },
      body: JSON.stringify({ email, password: TEST_PASSWORD, role: "admin" }),
    });
    expect(created.status).toBe(201);
    const body = await uploadDemoDays({ name: "a11y", tenant, token: admin, start: "2026-05-28T00:00:00Z", days: 7 });
    datasetPath = `/datasets/${body.dataset.id}/versions/1`;
    const spec = {
      scope: { siteId: "mad1" },
      boundary: "cooling",
      source: { datasetVersionIds: [body.version.id], massUntil: null },
      baseline: { from: "2026-05-28T00:00:00Z", to: "2026-06-01T00:00:00Z" },
      reporting: { from: "2026-06-01T00:00:00Z", to: "2026-06-04T00:00:00Z" },
      granularity: "hourly",
      model: { kind: "ols_it_cdd", balancePointC: 12 },
    };
    const headers = {
      Authorization: `Bearer ${admin}`,
      "Content-Type": "application/json",
      "X-Forwarded-For": freshIp(),
    };
    const study = await fetch(`${baseUrl()}/api/v1/mv/studies`, {
      method: "POST",
      headers,
      body: JSON.stringify({ tenant_id: tenant, name: "a11y study", spec }),
    });
    expect(study.status).toBe(201);
    const studyId = ((await study.json()) as { id: string }).id;
    studyPath = `/mv/studies/${studyId}`;
    const run = await fetch(`${baseUrl()}/api/v1/mv/studies/${studyId}/runs`, {
      method: "POST",
      headers: { Authorization: `Bearer ${admin}`, "X-Forwarded-For": freshIp() },
    });
    expect(run.status).toBe(201);
    reportPath = `/mv/reports/${((await run.json()) as { id: string }).id}`;
  });
  afterAll(() => browser?.close());

  /** A page in its own browser context, with the theme cookie the shell's toggle writes. */
  const themedPage = async (theme: "light" | "dark"): Promise<Page> => {
    const context = await browser.newContext();
    await context.addCookies([{ name: "pib-theme", value: theme, url: baseUrl() }]);
    return context.newPage();
  };

  it.each(["light", "dark"] as const)(
    "finds no serious or critical violation on the login page (%s)",
    async (theme) => {
      const page = await themedPage(theme);
      await page.goto(`${baseUrl()}/login`);
      expect(await page.locator("html").getAttribute("class")).toBe(theme);
      expect(await seriousViolations(page)).toEqual([]);
      await page.context().close();
    },
  );

  it.each(["light", "dark"] as const)(
    "finds no serious or critical violation on any signed-in page (%s)",
    async (theme) => {
      const page = await themedPage(theme);
      await signIn(page, email, TEST_PASSWORD);
      await page.waitForURL(`${baseUrl()}/`);
      const pages = [
        "/",
        `/?tenant_id=${tenant}`,
        `/?tenant_id=${tenant}&range=last_6h&refresh=60`,
        `/before-after?tenant_id=${tenant}`,
        `/observations?tenant_id=${tenant}`,
        "/datasets",
        "/datasets/import",
        datasetPath,
        "/mv",
        "/mv/new",
        studyPath,
        reportPath,
        "/requests",
        "/recommendations",
        "/scorecard",
        "/audit",
        "/admin/users",
        "/admin/tokens",
        "/docs",
      ];
      const found: string[] = [];
      for (const path of pages) {
        await page.goto(`${baseUrl()}${path}`);
        await page.waitForLoadState("networkidle");
        if (path === "/docs") await page.locator(".opblock").first().waitFor();
        found.push(...(await seriousViolations(page, path)).map((v) => `${path}: ${v}`));
      }
      expect(found).toEqual([]);
      await page.context().close();
    },
    180_000,
  );
});
