import { request as httpRequest } from 'node:http';
import type { Page, Request } from 'playwright-core';
import { testSystem } from '../../support/system';
import { until } from '../../support/until';
import type { ProvinceKey, Variables } from './dashboardApi';

/** Driving the dashboard page: its address, sign-in, waiting for a refresh, reading what it shows. */

export const gatewayUrl = () => testSystem().gatewayUrl;
export const dashboardUrl = (query = '?refresh=0', hash = '') => `${new URL('/dashboard', gatewayUrl()).href}${query}${hash}`;

export const isDashboardRequest = (request: Request) =>
  request.url().endsWith('/graphql') && request.method() === 'POST' && /query Dashboard\b/.test(request.postData() ?? '');


/** How many answers the wall has drawn since it was built (0 while signing in). */
async function renders(page: Page): Promise<number> {
  const wall = page.getByTestId('dashboard');
  if ((await wall.count()) === 0) return 0;
  return Number((await wall.getAttribute('data-renders', { timeout: 1_000 }).catch(() => null)) ?? 0);
}

/**
 * Runs `action` and returns the variables of the one Dashboard request it
 * caused, once the page has drawn the answer. `newDocument`: the action
 * loads the page again, whose count starts from zero.
 */
export async function dashboardRefresh(page: Page, action: () => Promise<unknown>, { newDocument = false } = {}): Promise<Variables> {
  const before = newDocument ? 0 : await renders(page);
  const [request] = await Promise.all([page.waitForRequest(isDashboardRequest), action()]);
  await until('the page has drawn the answer', async () => (await renders(page)) > before);
  return (request.postDataJSON() as { variables: Variables }).variables;
}

export async function signIn(page: Page, username = 'li.wei', password = 'shuangcheng-demo'): Promise<Variables> {
  await page.getByLabel(/Username/).fill(username);
  await page.getByLabel(/Password/).fill(password);
  return dashboardRefresh(page, () => page.getByRole('button', { name: /Sign in/ }).first().click());
}

export async function kpi(page: Page, province: ProvinceKey, name: string): Promise<string> {
  return ((await page.getByTestId(`kpi-${province}-${name}`).locator('.kpi-value').textContent()) ?? '').trim();
}

/** Every row of a table, by a data attribute of the row: its cells' text. */
export async function tableRows(page: Page, testId: string, key: string): Promise<Map<string, string[]>> {
  const rows = page.getByTestId(testId).locator('tbody tr');
  const result = new Map<string, string[]>();
  for (let i = 0; i < (await rows.count()); i += 1) {
    const row = rows.nth(i);
    result.set((await row.getAttribute(key)) ?? '', (await row.locator('td').allTextContents()).map((text) => text.trim()));
  }
  return result;
}

/** Status of a GET sent with the path exactly as written (fetch would normalise `..`). */
export function rawStatus(path: string): Promise<number> {
  const url = new URL(gatewayUrl());
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET' }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}
