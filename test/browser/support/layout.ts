import type { Page } from 'playwright-core';

/**
 * The page's own geometry, as Chromium laid it out: no pixels compared. Page
 * code goes in as text, because the tests are compiled without the DOM's types.
 *
 * - `lines(element)`: how many lines its text takes. An inline element has a
 *   box per line; a block's content height is counted in line heights.
 * - `clipped(element)`: its content is wider than its box (cut off by an
 *   ellipsis, or sticking out).
 * - `textBox(element)`: the box of its text alone.
 * - `contentBox(element)`: its box inside border and padding.
 */
const HELPERS = `
  const lines = (element) => {
    const style = getComputedStyle(element);
    if (style.display === 'inline') return element.getClientRects().length;
    const lineHeight = style.lineHeight === 'normal' ? 1.2 * parseFloat(style.fontSize) : parseFloat(style.lineHeight);
    return Math.round((element.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) / lineHeight);
  };
  const clipped = (element) => element.scrollWidth > element.clientWidth;
  const textBox = (element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return range.getBoundingClientRect();
  };
  const contentBox = (element) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    const side = (name) => parseFloat(style['border' + name + 'Width']) + parseFloat(style['padding' + name]);
    return { left: box.left + side('Left'), right: box.right - side('Right') };
  };
`;

/** `measure`, an expression of `element` and the helpers above, for every element `selector` finds. */
export function measureEach<T>(page: Page, selector: string, measure: string): Promise<T[]> {
  return page.evaluate<T[]>(`(() => {
    ${HELPERS}
    return [...document.querySelectorAll(${JSON.stringify(selector)})].map((element) => (${measure}));
  })()`);
}

export interface Screen {
  readonly width: number;
  readonly height: number;
}

export const screenName = ({ width, height }: Screen) => `${width}×${height}`;
