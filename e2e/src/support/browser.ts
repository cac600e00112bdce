// A real browser for what a person would look at: Debian's Chromium (tools/setup/system-deps.sh installs it; another
// binary through CHROMIUM_PATH) driven headless by playwright-core, which downloads no browser of its own.
import { chromium } from 'playwright-core';

/** PageShot is what a page showed: its visible text and the PNG file it was saved to. */
export interface PageShot {
  text: string;
  file: string;
}

/**
 * screenshot opens url, waits until every one of `waitFor` is visible on the page (the page rendered what it is
 * about), saves a PNG of the viewport to file and returns the page's text.
 */
export async function screenshot(url: string, file: string, waitFor: readonly string[]): Promise<PageShot> {
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] || '/usr/bin/chromium',
    headless: true,
    // Root in CI has no user namespace sandbox; and the browser must not call out (no network here but loopback).
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--no-first-run',
      '--metrics-recording-only',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1100 }, deviceScaleFactor: 1 });
    await page.goto(url, { waitUntil: 'networkidle' });
    for (const text of waitFor)
      await page.getByText(text).first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.screenshot({ path: file });
    return { text: await page.innerText('body'), file };
  } finally {
    await browser.close();
  }
}
