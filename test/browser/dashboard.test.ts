import type { Page, Request } from 'playwright-core';
import { chinaMidnight } from '../../shared/src/browser';
import { gateway, testSystem } from '../support/system';
import { artifactPath } from './support/chromium';
import { askApi, count, OWN_TYPE, PROVINCES, sum, TIERS } from './support/dashboardApi';
import {
  dashboardRefresh, dashboardUrl, gatewayUrl, isDashboardRequest, kpi, rawStatus, signIn, tableRows,
} from './support/dashboardPage';
import { expiredCopyOf } from './support/expiredToken';
import { stopService } from './support/services';
import { useChromiumPage } from './support/useChromiumPage';
import { until } from '../support/until';

/**
 * The dashboard at /dashboard in Debian's Chromium, against the real system.
 * Every figure the page shows is checked against the same question asked
 * of the API directly (with the variables the page sent), so "the numbers
 * match the API" is what is tested, not what the page's own code computes.
 * The last test stops the Sichuan subgraph, so this file runs after the
 * others (support/browserFileOrder.cjs).
 */

describe('dashboard at /dashboard, in Chromium', () => {
  const currentPage = useChromiumPage();
  let page: Page;
  beforeEach(() => {
    page = currentPage();
  });

  test('is served by the gateway with its bundled script, and asks no other origin for anything', async () => {
    const html = await fetch(dashboardUrl(''));
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await fetch(new URL('/dashboard/app.js', gatewayUrl()));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await script.text()).length).toBeGreaterThan(100_000); // ECharts is bundled, not fetched from a CDN
    expect((await fetch(new URL('/dashboard/app.css', gatewayUrl()))).headers.get('content-type')).toBe('text/css; charset=utf-8');
    // Revalidated by ETag on every load, so a new gateway's page never runs an old script.
    const etag = script.headers.get('etag')!;
    expect((await fetch(new URL('/dashboard/app.js', gatewayUrl()), { headers: { 'if-none-match': etag } })).status).toBe(304);

    // Paths are matched exactly against the few built files: nothing else in the checkout is reachable.
    for (const path of ['/dashboard/../package.json', '/dashboard/%2e%2e/package.json', '/dashboard/src/main.ts', '/dashboard/index.html', '/dashboard/app.js/..']) {
      expect(await rawStatus(path)).toBe(404);
    }

    const origins = new Set<string>();
    page.on('request', (request) => origins.add(new URL(request.url()).origin));
    await page.goto(dashboardUrl());
    await page.getByRole('button', { name: /Sign in/ }).first().waitFor();
    await signIn(page);
    expect([...origins]).toEqual([new URL(gatewayUrl()).origin]);
  });

  test('refuses a wrong password in both languages, then signs in with a demo login using one request per refresh', async () => {
    await page.goto(dashboardUrl());
    await page.getByLabel(/Username/).fill('li.wei');
    await page.getByLabel(/Password/).fill('not-the-password');
    await page.getByRole('button', { name: /Sign in/ }).first().click();
    await until('the login error shows', async () => ((await page.getByTestId('login-error').textContent()) ?? '').length > 0);
    expect(await page.getByTestId('login-error').textContent()).toBe('Wrong username or password. 用户名或密码错误。');
    expect(await page.getByTestId('dashboard').count()).toBe(0);

    const graphqlRequests: Request[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql')) graphqlRequests.push(request);
    });
    await signIn(page);
    // The login mutation, then exactly one query for the whole wall.
    expect(graphqlRequests.map((request) => /mutation Login/.test(request.postData() ?? '') ? 'login' : isDashboardRequest(request) ? 'dashboard' : 'other'))
      .toEqual(['login', 'dashboard']);
    await dashboardRefresh(page, () => page.getByTestId('refresh').click());
    expect(graphqlRequests.filter(isDashboardRequest)).toHaveLength(2);
  });

  test('shows both provinces side by side with the API\'s numbers in every chart and panel', async () => {
    await page.goto(dashboardUrl());
    const before = Date.now();
    const variables = await signIn(page);
    const after = Date.now();
    const days = (Date.parse(variables.to) - Date.parse(variables.from)) / 86_400_000;
    expect(days).toBe(30);
    // Complete days only: the period ends at the start of today (UTC+8), so no day in it is still going on.
    expect([chinaMidnight(new Date(before)).getTime(), chinaMidnight(new Date(after)).getTime()]).toContain(Date.parse(variables.to));
    const { answer, errors } = await askApi(variables);
    expect(errors).toEqual([]);
    expect(await page.getByTestId('banners').textContent()).toBe('');

    for (const key of PROVINCES) {
      const figures = answer[key]!;
      // Headline figures.
      // Instruments: retired ones are not counted (each province has some).
      expect(figures.retiredInstruments.totalCount).toBeGreaterThan(0);
      expect(await kpi(page, key, 'instruments')).toBe(String(figures.stats.instruments));
      expect(await kpi(page, key, 'instruments')).toBe(String(figures.instruments.totalCount - figures.retiredInstruments.totalCount));
      expect(sum(figures.stats.instrumentsByCategory.map((row) => row.count))).toBe(figures.stats.instruments);
      expect(await kpi(page, key, 'bookings')).toBe(String(sum(figures.stats.bookingsPerDay.map((row) => row.bookings))));
      const open = sum(figures.stats.utilisationByCategory.map((row) => row.openHours));
      const booked = sum(figures.stats.utilisationByCategory.map((row) => row.usedHours));
      expect(await kpi(page, key, 'utilisation')).toBe(`${((booked / open) * 100).toFixed(1)}%`);
      expect(await kpi(page, key, 'labs')).toBe(String(figures.stats.labs));
      expect(await kpi(page, key, 'cards')).toBe(String(sum(figures.stats.talentCardsByTier.map((row) => row.count))));
      expect(await kpi(page, key, 'recognitions')).toBe(String(figures.stats.recognitionsGranted));
      // Services: the seeded requests of the period, their reports and what their charges come to, in yuan to the fen.
      const requests = sum(figures.stats.serviceRequestsByStatus.map((row) => row.count));
      expect(requests).toBeGreaterThan(0);
      expect(await page.getByTestId(`service-requests-${key}`).textContent()).toBe(String(requests));
      expect(await page.getByTestId(`service-reports-${key}`).textContent()).toBe(String(figures.stats.serviceTurnaround.reportsIssued));
      expect(await page.getByTestId(`service-turnaround-${key}`).textContent()).toBe(figures.stats.serviceTurnaround.averageDays?.toFixed(1) ?? '–');
      const income = figures.stats.incomeByOfferingKind.reduce((total, row) => total + BigInt(row.amountFen), 0n);
      expect(income).toBeGreaterThan(0n);
      expect(await page.getByTestId(`service-income-${key}`).textContent()).toBe(`${(income / 100n).toLocaleString('en')}.${String(income % 100n).padStart(2, '0')}`);
      // The province's innovation vouchers: the seeded Chongqing voucher paid part of a Sichuan charge 20 days before the first start.
      const yuan = (fen: string) => `${(BigInt(fen) / 100n).toLocaleString('en')}.${String(BigInt(fen) % 100n).padStart(2, '0')}`;
      expect(await page.getByTestId(`vouchers-issued-${key}`).textContent()).toBe(String(figures.stats.vouchersIssued));
      expect(await page.getByTestId(`voucher-fen-issued-${key}`).textContent()).toBe(yuan(figures.stats.voucherIssuedTotalFen));
      expect(await page.getByTestId(`voucher-fen-captured-${key}`).textContent()).toBe(yuan(figures.stats.voucherCapturedTotalFen));
      expect(await page.getByTestId(`voucher-fen-across-border-${key}`).textContent()).toBe(yuan(figures.stats.voucherRedeemedAcrossBorderTotalFen));
      if (key === 'chongqing') expect(BigInt(figures.stats.voucherRedeemedAcrossBorderTotalFen)).toBeGreaterThanOrEqual(150_000n);
      // The open-sharing evaluation of the same period, from actual use.
      const total = figures.evaluation.total;
      const hours = (value: number) => (Math.round(value * 10) / 10).toLocaleString('en-US');
      expect(await kpi(page, key, 'effective-hours')).toBe(hours(total.effectiveHours));
      expect(await kpi(page, key, 'external-hours')).toBe(hours(total.externalServiceHours));
      expect(await kpi(page, key, 'other-province-hours')).toBe(hours(total.otherProvinceServiceHours));
      expect(await kpi(page, key, 'users-served')).toBe(String(total.usersServed));
      expect(await kpi(page, key, 'no-shows')).toBe(String(total.noShows));
      expect(await kpi(page, key, 'average-rating')).toBe(total.averageRating === null ? '–' : total.averageRating.toFixed(2));
      expect(total.effectiveHours).toBeGreaterThan(0);
      // Talent cards by tier.
      for (const tier of TIERS) {
        expect(await page.getByTestId(`tier-${key}-${tier}`).locator('.tier-count').textContent()).toBe(String(count(figures.stats.talentCardsByTier, tier)));
      }
      // Joint labs, each with the partner province's instruments it shares.
      for (const lab of figures.labs) {
        const item = page.getByTestId(`lab-${lab.id}`);
        expect(await item.locator('.lab-name').textContent()).toContain(lab.nameZh);
        expect(await item.locator('.lab-name').textContent()).toContain(lab.name);
        const partner = lab.instruments.filter((i) => i !== null && i.__typename !== OWN_TYPE[key]).map((i) => i!.nameZh);
        expect(partner.length).toBeGreaterThan(0);
        expect((await item.locator('.chip').allTextContents()).sort()).toEqual(partner.sort());
      }
    }
    const panelNames = await page.locator('.province-panel h2').allTextContents();
    expect(panelNames.map((name) => name.replace(/\s+/g, ' ').trim())).toEqual(['四川 Sichuan', '重庆 Chongqing']);

    // Bar chart: its table has every category in both languages, and the drawn SVG carries exactly the non-zero counts.
    const categories = new Map(answer.sichuan!.categories.map((c) => [c.code, c]));
    const barTable = await tableRows(page, 'table-instruments-by-category', 'data-category');
    expect([...barTable.keys()].sort()).toEqual([...categories.keys()].sort());
    for (const [code, cells] of barTable) {
      expect(cells).toEqual(PROVINCES.map((key) => String(count(answer[key]!.stats.instrumentsByCategory, code))));
    }
    const barTexts = await page.getByTestId('chart-instruments').locator('svg text').allTextContents();
    const drawnNumbers = barTexts.filter((text) => /^\d+$/.test(text)).map(Number).sort((a, b) => a - b);
    const apiNumbers = PROVINCES.flatMap((key) => answer[key]!.stats.instrumentsByCategory.map((row) => row.count)).filter((n) => n > 0).sort((a, b) => a - b);
    expect(drawnNumbers).toEqual(apiNumbers);
    for (const c of categories.values()) expect(barTexts).toEqual(expect.arrayContaining([c.nameZh, c.nameEn]));

    // Line chart: one row per day of the period, bookings and utilisation per province.
    const lineTable = await tableRows(page, 'table-bookings-per-day', 'data-day');
    expect([...lineTable.keys()]).toEqual(answer.sichuan!.stats.bookingsPerDay.map((row) => row.day));
    expect(lineTable.size).toBe(30);
    // The demo's history has bookings on every day of the period, and no day is unfinished: the line never drops to 0 at an end.
    const daysWithoutBookings = [...lineTable].filter(([, cells]) => cells[0] === '0' || cells[2] === '0').map(([day]) => day);
    expect(daysWithoutBookings).toEqual([]);
    for (const key of PROVINCES) {
      const { stats } = answer[key]!;
      const openPerDay = sum(stats.utilisationByCategory.map((row) => row.openHours)) / stats.bookingsPerDay.length;
      const column = PROVINCES.indexOf(key) * 2;
      stats.bookingsPerDay.forEach((row) => {
        const cells = lineTable.get(row.day)!;
        expect(cells[column]).toBe(String(row.bookings));
        expect(cells[column + 1]).toBe(((Math.round((row.usedHours / openPerDay) * 1000) / 10)).toFixed(1));
      });
    }
    const lineTexts = await page.getByTestId('chart-bookings').locator('svg text').allTextContents();
    expect(lineTexts).toEqual(expect.arrayContaining([
      'Sichuan 四川 · Bookings 预约次数', 'Chongqing 重庆 · Bookings 预约次数', answer.sichuan!.stats.bookingsPerDay[0]!.day.slice(5),
    ]));

    // Mutual recognition: 8 items × 2 granting provinces, the qualifying tiers from each catalogue's minimum tier.
    const codes = new Set(PROVINCES.flatMap((key) => answer[key]!.recognitionCatalog.map((item) => item.code)));
    expect(codes.size).toBe(8);
    expect(await page.getByTestId('recognition-matrix').locator('tbody tr').count()).toBe(8);
    for (const key of PROVINCES) {
      for (const code of codes) {
        const item = answer[key]!.recognitionCatalog.find((entry) => entry.code === code);
        const cell = page.getByTestId(`grant-${key}-${code}`);
        expect(await cell.getAttribute('data-minimum-tier')).toBe(item?.minimumTier ?? null);
        expect(await cell.textContent()).toBe(item ? (item.minimumTier === 'A' ? 'A' : `A–${item.minimumTier}`) : '—');
      }
    }

    await page.screenshot({ path: artifactPath('dashboard.png') });
  });

  test('a category filter and a period filter each re-query once, and the figures follow them', async () => {
    await page.goto(dashboardUrl());
    await signIn(page);

    const categoryVariables = await dashboardRefresh(page, () => page.getByTestId('category-filter').selectOption('GENE_SEQUENCER'));
    const { answer } = await askApi(categoryVariables, 'GENE_SEQUENCER');
    for (const key of PROVINCES) {
      const figures = answer[key]!;
      // Each province has a retired gene sequencer, which is not counted.
      const notRetired = figures.instruments.totalCount - figures.retiredInstruments.totalCount;
      expect(figures.retiredInstruments.totalCount).toBeGreaterThan(0);
      expect(await kpi(page, key, 'instruments')).toBe(String(notRetired));
      expect(notRetired).toBe(count(figures.stats.instrumentsByCategory, 'GENE_SEQUENCER'));
      const row = figures.stats.utilisationByCategory.find((entry) => entry.category === 'GENE_SEQUENCER')!;
      expect(await kpi(page, key, 'utilisation')).toBe(`${(row.utilisation * 100).toFixed(1)}%`);
      expect(await page.getByTestId(`kpi-${key}-instruments`).locator('.kpi-sub').textContent()).toContain('基因测序仪');
    }
    expect(new URL(page.url()).searchParams.get('category')).toBe('GENE_SEQUENCER');

    const periodVariables = await dashboardRefresh(page, () => page.getByTestId('period-filter').selectOption('7'));
    expect(await page.getByTestId('category-filter').inputValue()).toBe('GENE_SEQUENCER');
    expect((Date.parse(periodVariables.to) - Date.parse(periodVariables.from)) / 86_400_000).toBe(7);
    const week = (await askApi(periodVariables)).answer;
    const lineTable = await tableRows(page, 'table-bookings-per-day', 'data-day');
    expect([...lineTable.keys()]).toEqual(week.chongqing!.stats.bookingsPerDay.map((row) => row.day));
    expect(lineTable.size).toBe(7);
    for (const key of PROVINCES) {
      expect(await kpi(page, key, 'bookings')).toBe(String(sum(week[key]!.stats.bookingsPerDay.map((row) => row.bookings))));
    }

    // The address keeps the filters: a reload (a wall screen restarting) asks the same question.
    const reloaded = await dashboardRefresh(page, () => page.reload(), { newDocument: true });
    expect(await page.getByTestId('category-filter').inputValue()).toBe('GENE_SEQUENCER');
    expect((Date.parse(reloaded.to) - Date.parse(reloaded.from)) / 86_400_000).toBe(7);
  });

  test('opens with a token in the address instead of a password, and returns to sign-in saying why a token is refused', async () => {
    const { body } = await gateway<{ issueClientToken: { token: string } }>(
      'mutation { issueClientToken(clientId: "demo-partner", clientSecret: "shuangcheng-demo-secret") { token } }',
    );
    const token = body.data!.issueClientToken.token;
    await dashboardRefresh(page, () => page.goto(dashboardUrl('?refresh=0', `#token=${encodeURIComponent(token)}`)), { newDocument: true });
    expect(new URL(page.url()).hash).toBe(''); // taken out of the address, so it is not left on screen or in history
    expect(await kpi(page, 'chongqing', 'instruments')).toMatch(/^\d+$/);

    // Garbage, even a broken %-escape, is "not valid", never "expired"; a real token past its expiry is "expired".
    let attempt = 0;
    const refusedAs = async (hash: string) => {
      // A new query each time, so the address is a new page rather than a jump within it.
      await page.goto(dashboardUrl(`?refresh=0&attempt=${(attempt += 1)}`, hash));
      await page.getByTestId('login-form').waitFor();
      return page.getByTestId('login-error').textContent();
    };
    const notValid = 'This token is not valid; please sign in, or paste a new dashboard token. 令牌无效，请重新登录或粘贴新的看板令牌。';
    expect(await refusedAs('#token=not-a-token')).toBe(notValid);
    expect(await refusedAs('#token=%E0%A4%A')).toBe(notValid);
    expect(await refusedAs(`#token=${expiredCopyOf(token)}`)).toBe('Your sign-in has expired; please sign in again. 登录已过期，请重新登录。');
  });

  test('stays signed in past its access token: renews it once with the refresh token; signing out ends the session', async () => {
    await page.goto(dashboardUrl());
    await signIn(page);
    // Page code as text: this file is compiled without the DOM's types.
    const stored = () => page.evaluate<{ token: string | null; refreshToken: string | null }>(
      `({ token: sessionStorage.getItem('shuangcheng.dashboard.token'), refreshToken: sessionStorage.getItem('shuangcheng.dashboard.refreshToken') })`,
    );
    const first = await stored();
    expect(first.refreshToken).toMatch(/\S{20,}/);

    // As if the 15-minute access token had run out: the API refuses it.
    await page.evaluate(`sessionStorage.setItem('shuangcheng.dashboard.token', 'an-expired-access-token')`);
    const renewals: string[] = [];
    page.on('request', (request) => {
      if (/mutation Refresh/.test(request.postData() ?? '')) renewals.push(request.url());
    });
    await dashboardRefresh(page, () => page.getByTestId('refresh').click());
    expect(await page.evaluate('document.body.dataset.view')).toBe('dashboard');
    const renewed = await stored();
    expect(renewals).toHaveLength(1);
    expect(renewed.token).not.toBe('an-expired-access-token');
    expect(renewed.refreshToken).not.toBe(first.refreshToken); // rotated on use
    expect(await kpi(page, 'sichuan', 'instruments')).toMatch(/^\d+$/);

    // Signing out revokes the session on the server: its refresh token no longer renews anything.
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
    await until('the session revoked', async () => {
      const { body } = await gateway('mutation($r: String!) { refreshSession(refreshToken: $r) { token } }', { variables: { r: renewed.refreshToken! } });
      return body.errors?.[0]?.extensions?.['code'] === 'UNAUTHENTICATED';
    });
  });

  test('when the Sichuan subgraph stops, shows Chongqing\'s figures and a banner naming Sichuan, never a blank page', async () => {
    await stopService('sichuan', testSystem().subgraphUrls.sichuan);
    await page.goto(dashboardUrl());
    const variables = await signIn(page);
    const { answer } = await askApi(variables);
    expect(answer.sichuan).toBeNull();

    const banner = page.getByTestId('banner-unavailable-sichuan');
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.textContent()).toContain('Sichuan (四川) is unavailable');
    expect(await page.getByTestId('panel-sichuan').textContent()).toContain('暂不可用');

    const chongqing = answer.chongqing!;
    expect(await kpi(page, 'chongqing', 'instruments')).toBe(String(chongqing.stats.instruments));
    expect(await kpi(page, 'chongqing', 'bookings')).toBe(String(sum(chongqing.stats.bookingsPerDay.map((row) => row.bookings))));
    for (const tier of TIERS) {
      expect(await page.getByTestId(`tier-chongqing-${tier}`).locator('.tier-count').textContent()).toBe(String(count(chongqing.stats.talentCardsByTier, tier)));
    }
    const barTable = await tableRows(page, 'table-instruments-by-category', 'data-category');
    for (const [code, cells] of barTable) expect(cells).toEqual(['–', String(count(chongqing.stats.instrumentsByCategory, code))]);
    // Chongqing's joint labs stay, with Sichuan's shared instruments counted as unavailable.
    expect(await page.getByTestId('labs-chongqing').locator('.lab').count()).toBe(chongqing.labs.length);
    expect(await page.getByTestId('labs-chongqing').locator('.missing').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('grant-sichuan-CHILD_EDUCATION').textContent()).toBe('?');

    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toMatch(/\bat \S+ \(|TypeError|ReferenceError|stack/i);
    await page.screenshot({ path: artifactPath('dashboard-sichuan-down.png') });
  });
});
