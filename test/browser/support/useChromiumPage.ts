import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';

/** A wall screen's size, the one every test starts at. */
export const WALL_SCREEN = { width: 1920, height: 1080 } as const;

/**
 * One Chromium for the test file and a fresh context per test, so no sign-in
 * carries over; an error thrown in the page fails the test. Returns the
 * current test's page.
 */
export function useChromiumPage(): () => Page {
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    const context = await browser.newContext({ viewport: WALL_SCREEN, locale: 'zh-CN' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterEach(async () => {
    await page.context().close();
    expect(pageErrors).toEqual([]);
  });
  return () => page;
}
