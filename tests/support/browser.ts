// Debian's Chromium driven by playwright-core (no browser download).
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { baseUrl, freshIp } from "./http";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Signs in through the login form. Each sign-in comes from an address of its own (the test server
 * trusts one proxy hop): the suite signs in far more often than the per-address limit allows one
 * person, and a real user's browser would not share its address with every other test.
 */
export async function signIn(
  page: Page,
  email: string,
  password: string,
  options: { sameAddress?: boolean } = {},
): Promise<void> {
  // sameAddress: keep the page's own address (a test of what one address may do).
  if (!options.sameAddress) await page.setExtraHTTPHeaders({ "X-Forwarded-For": freshIp() });
  await page.goto(`${baseUrl()}/login`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
}

/**
 * Waits until no loading skeleton (components/ui/skeleton.tsx) is on the page. A client-side
 * navigation into a segment with a loading.tsx commits its URL with the skeleton shown, before
 * the page's content has arrived: after waitForURL, a test reading the new content waits here.
 */
export async function settled(page: Page): Promise<void> {
  await page.getByTestId("page-skeleton").first().waitFor({ state: "detached" });
}

/** Saves a screenshot when TEST_SCREENSHOTS names a directory (used to refresh docs/screenshots). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.TEST_SCREENSHOTS;
  if (!dir) return;
  await settled(page);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
