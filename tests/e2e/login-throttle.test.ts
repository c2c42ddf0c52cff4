// The login page under sign-in throttling: after 5 wrong passwords from one address the page says
// how long to wait, and the right password from another address still signs in.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signIn } from "../support/browser";
import { baseUrl, freshIp, TEST_PASSWORD, userWithRole } from "../support/http";

describe("login page throttling in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it("tells the failing address to wait; the owner signs in from elsewhere at once", async () => {
    const user = await userWithRole("viewer");
    const attacker = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": freshIp() } });
    const page = await attacker.newPage();
    // The test server's first delay is 2 s: a slow browser round may outlast it, the doubled next not.
    const messages: string[] = [];
    for (let i = 0; i < 10 && !messages.at(-1)?.startsWith("Too many"); i++) {
      await signIn(page, user.email, `wrong-password-${i}`, { sameAddress: true });
      const error = page.getByTestId("login-error");
      await error.waitFor();
      messages.push((await error.textContent()) ?? "");
    }
    expect(messages.slice(0, 5)).toEqual(Array(5).fill("Invalid email or password."));
    expect(messages.at(-1)).toMatch(/^Too many failed sign-ins\. Wait \d+ seconds?, then try again\.$/);
    expect(new URL(page.url()).pathname).toBe("/login");
    await attacker.close();

    const owner = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": freshIp() } });
    const ownerPage = await owner.newPage();
    await signIn(ownerPage, user.email, TEST_PASSWORD);
    await ownerPage.waitForURL(`${baseUrl()}/`);
    await owner.close();
  });
});
