import type { Page } from 'playwright-core';
import { artifactPath } from './support/chromium';
import { dashboardUrl, signIn } from './support/dashboardPage';
import { measureEach, screenName, type Screen } from './support/layout';
import { useChromiumPage, WALL_SCREEN } from './support/useChromiumPage';

/**
 * The wall's layout with the seeded demo figures, read from Chromium's own
 * geometry: at a wall screen's size and at the desktop sizes where the wide
 * layout (above 1400 pixels) is at its tightest, plus one of the stacked
 * layout below it. Nothing is cut off, nothing touches an edge, no header
 * wraps into a tall narrow column.
 */
const SCREENS: readonly Screen[] = [
  WALL_SCREEN,
  { width: 1680, height: 1050 },
  { width: 1440, height: 900 },
  { width: 1408, height: 900 }, // the narrowest the wide layout gets
  { width: 1366, height: 768 },
];

describe('dashboard layout at wall and desktop sizes, in Chromium', () => {
  const currentPage = useChromiumPage();

  /**
   * Signs in, then measures at each screen size: every problem found, named
   * by size, and how many elements were measured (so no check passes on an
   * empty page).
   */
  async function atEachScreen<T>(measure: (page: Page) => Promise<T[]>, problemsOf: (item: T) => string[]) {
    const page = currentPage();
    await page.goto(dashboardUrl());
    await signIn(page);
    const problems: string[] = [];
    let measured = 0;
    for (const screen of SCREENS) {
      await page.setViewportSize(screen);
      const items = await measure(page);
      measured += items.length;
      for (const item of items) problems.push(...problemsOf(item).map((problem) => `${screenName(screen)} ${problem}`));
    }
    return { problems, measured };
  }

  test('shows every headline label whole: none cut off by an ellipsis ("Recognition…"), no Chinese label wrapped', async () => {
    interface Label { id: string; zhLines: number; clipped: string[] }
    const { problems, measured } = await atEachScreen(
      (page) => measureEach<Label>(page, '.kpi', `({
        id: element.dataset.testid,
        zhLines: lines(element.querySelector('.kpi-label .zh')),
        clipped: [...element.querySelectorAll('.kpi-label, .kpi-label .en, .kpi-sub, .kpi-sub .en')].filter(clipped).map((part) => part.textContent),
      })`),
      (label) => [
        ...(label.zhLines === 1 ? [] : [`${label.id}: its Chinese label takes ${label.zhLines} lines`]),
        ...label.clipped.map((text) => `${label.id}: "${text}" is cut off`),
      ],
    );
    // Six headline tiles and six evaluation tiles per province.
    expect(measured).toBe(SCREENS.length * 24);
    expect(problems).toEqual([]);
  });

  test('keeps every headline figure ("2.7%") inside its tile\'s padding, clear of the edge', async () => {
    interface Figure { id: string; text: string; left: number; right: number }
    const { problems, measured } = await atEachScreen(
      // How far the figure's text reaches into the tile's padding on each side (positive: into it).
      (page) => measureEach<Figure>(page, '.kpi-value', `({
        id: element.closest('.kpi').dataset.testid,
        text: element.textContent,
        left: contentBox(element.closest('.kpi')).left - textBox(element).left,
        right: textBox(element).right - contentBox(element.closest('.kpi')).right,
      })`),
      (figure) => (figure.left > 0 || figure.right > 0 ? [`${figure.id}: "${figure.text}" reaches ${Math.max(figure.left, figure.right).toFixed(1)}px into the padding`] : []),
    );
    expect(measured).toBe(SCREENS.length * 24);
    expect(problems).toEqual([]);
  });

  test('keeps each tier tile\'s label and count on one line each, four tiles to a row', async () => {
    interface Tile { id: string; top: number; lines: number[]; clipped: boolean }
    const { problems, measured } = await atEachScreen(
      (page) => measureEach<Tile>(page, '.tier-card', `({
        id: element.dataset.testid,
        top: Math.round(element.getBoundingClientRect().top),
        lines: [...element.children].filter((part) => !part.classList.contains('visually-hidden')).map(lines),
        clipped: clipped(element),
      })`),
      (tile) => [
        ...(tile.lines.length === 2 && tile.lines.every((count) => count === 1) ? [] : [`${tile.id}: its label and count take ${tile.lines.join(' and ')} lines`]),
        ...(tile.clipped ? [`${tile.id}: its content is wider than the tile`] : []),
      ],
    );
    expect(measured).toBe(SCREENS.length * 8);
    expect(problems).toEqual([]);

    // Four to a row: each province's tiles share one top.
    const page = currentPage();
    for (const screen of SCREENS) {
      await page.setViewportSize(screen);
      const rows = await measureEach<number>(page, '.tier-cards', 'new Set([...element.children].map((tile) => Math.round(tile.getBoundingClientRect().top))).size');
      expect({ screen: screenName(screen), rows }).toEqual({ screen: screenName(screen), rows: [1, 1] });
    }
  });

  test('keeps the recognition matrix\'s province headers to three unwrapped lines and the table inside its card', async () => {
    interface Header { province: string; lines: number[]; tableClipped: boolean }
    const { problems, measured } = await atEachScreen(
      (page) => measureEach<Header>(page, '[data-testid="recognition-matrix"] thead th[class^="province-"]', `({
        province: element.className,
        lines: [element.querySelector('.th-province'), element.querySelector('.th-sub .zh'), element.querySelector('.th-sub .en')].map(lines),
        tableClipped: clipped(element.closest('.card')),
      })`),
      (header) => [
        ...(header.lines.every((count) => count === 1) ? [] : [`${header.province}: name, Chinese and English lines take ${header.lines.join(', ')} lines`]),
        ...(header.tableClipped ? [`${header.province}: the table is wider than its card`] : []),
      ],
    );
    expect(measured).toBe(SCREENS.length * 2);
    expect(problems).toEqual([]);

    await currentPage().setViewportSize({ width: 1440, height: 900 });
    await currentPage().screenshot({ path: artifactPath('dashboard-1440x900.png'), fullPage: true });
  });
});
