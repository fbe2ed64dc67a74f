import type { EChartsType } from 'echarts/core';
import { bookingsOverTimeOption, createChart, instrumentsByCategoryOption } from './charts';
import type { DashboardModel } from './dashboardModel';
import { h } from './dom';
import { both, fill, PROVINCE_KEYS, PROVINCES, TEXT, type Bilingual } from './labels';
import { banners, bookingsTable, instrumentsTable, jointLabs, provincePanel, recognitionTable, servicesTable, talentTiers } from './panels';
import { PERIOD_CHOICES } from './period';

export interface DashboardSettings {
  /** Days in the period, one of PERIOD_CHOICES. */
  days: number;
  /** Category code, or null for all. */
  category: string | null;
}

export interface DashboardHandlers {
  onFiltersChange(settings: DashboardSettings): void;
  onRefresh(): void;
  onSignOut(): void;
}

export interface DashboardView {
  render(model: DashboardModel): void;
  setBusy(busy: boolean): void;
  /** A problem that left no new figures (the last ones stay on the wall). */
  showProblem(message: string): void;
}

const heading = (level: 'h1' | 'h2', text: Bilingual) =>
  h(level, null, h('span', { class: 'zh', lang: 'zh-CN' }, text.zh), h('span', { class: 'en', lang: 'en' }, text.en));

/** Builds the wall once; each answer then replaces the figures inside it. */
export function createDashboardView(root: HTMLElement, settings: DashboardSettings, handlers: DashboardHandlers): DashboardView {
  const period = h('select', { 'data-testid': 'period-filter', 'aria-label': both(TEXT.period) },
    PERIOD_CHOICES.map((days) => h('option', { value: days, selected: days === settings.days }, both(TEXT.lastDays, { n: days }))));
  const category = h('select', { 'data-testid': 'category-filter', 'aria-label': both(TEXT.category) },
    h('option', { value: '' }, both(TEXT.allCategories)));
  if (settings.category) category.append(h('option', { value: settings.category, selected: true }, settings.category));
  const filtersChanged = () => handlers.onFiltersChange({ days: Number(period.value), category: category.value || null });
  period.addEventListener('change', filtersChanged);
  category.addEventListener('change', filtersChanged);

  const updated = h('span', { class: 'updated', 'data-testid': 'updated' });
  const refresh = h('button', { type: 'button', 'data-testid': 'refresh' }, both(TEXT.refresh));
  refresh.addEventListener('click', () => handlers.onRefresh());
  const signOut = h('button', { type: 'button', 'data-testid': 'sign-out' }, both(TEXT.signOut));
  signOut.addEventListener('click', () => handlers.onSignOut());

  const bannerArea = h('div', { class: 'banners', 'aria-live': 'polite', 'data-testid': 'banners' });
  const panels = h('div', { class: 'province-panels' });
  const instrumentsChart = h('div', { class: 'chart chart-tall', 'data-testid': 'chart-instruments', role: 'img', 'aria-label': both(TEXT.instrumentsByCategory) });
  const instrumentsNumbers = h('div');
  const legend = h('div', { class: 'chart-legend', 'aria-hidden': 'true' }, PROVINCE_KEYS.map((key) =>
    h('span', { class: `province-${key}` }, h('span', { class: 'swatch' }), h('span', { class: 'zh' }, PROVINCES[key].zh), h('span', { class: 'en' }, PROVINCES[key].en))));
  const bookingsChart = h('div', { class: 'chart chart-tall', 'data-testid': 'chart-bookings', role: 'img', 'aria-label': both(TEXT.bookingsOverTime) });
  const bookingsNumbers = h('div');
  const bookingsNote = h('p', { class: 'note' });
  const tiers = h('div');
  const matrix = h('div');
  const labs = h('div');
  const services = h('div');

  const main = h('main', { class: 'wall', 'data-testid': 'dashboard' },
    panels,
    h('figure', { class: 'card chart-card card-instruments' },
      h('figcaption', null, heading('h2', TEXT.instrumentsByCategory), legend), instrumentsChart, instrumentsNumbers),
    h('figure', { class: 'card chart-card card-bookings' },
      h('figcaption', null, heading('h2', TEXT.bookingsOverTime), bookingsNote), bookingsChart, bookingsNumbers),
    h('section', { class: 'card card-tiers' }, heading('h2', TEXT.talentCardsByTier), tiers),
    h('section', { class: 'card card-matrix' }, heading('h2', TEXT.recognitionMatrix), matrix),
    h('section', { class: 'card card-labs' }, heading('h2', TEXT.jointLabsTitle), labs),
    h('section', { class: 'card card-services' }, heading('h2', TEXT.servicesTitle), services));

  root.replaceChildren(
    h('header', { class: 'topbar' },
      heading('h1', TEXT.title),
      h('div', { class: 'controls' },
        h('label', null, both(TEXT.period), period),
        h('label', null, both(TEXT.category), category),
        updated, refresh, signOut)),
    bannerArea,
    main);
  document.body.dataset['view'] = 'dashboard';

  // Charts are created once the containers are in the page, so they get their size.
  const charts: { instruments: EChartsType; bookings: EChartsType } = {
    instruments: createChart(instrumentsChart),
    bookings: createChart(bookingsChart),
  };
  let renders = 0;

  return {
    render(model) {
      const selected = model.category ?? '';
      category.replaceChildren(
        h('option', { value: '' }, both(TEXT.allCategories)),
        ...model.categories.map((c) => h('option', { value: c.code, selected: c.code === selected }, `${c.nameZh} ${c.nameEn}`)));
      if (selected && !model.categories.some((c) => c.code === selected)) category.append(h('option', { value: selected, selected: true }, selected));

      bannerArea.replaceChildren(...banners(model));
      panels.replaceChildren(...PROVINCE_KEYS.map((key) => provincePanel(key, model)));
      charts.instruments.setOption(instrumentsByCategoryOption(model), { notMerge: true });
      instrumentsNumbers.replaceChildren(instrumentsTable(model));
      charts.bookings.setOption(bookingsOverTimeOption(model), { notMerge: true });
      bookingsNumbers.replaceChildren(bookingsTable(model));
      bookingsNote.replaceChildren(
        `${fill(TEXT.lastDays.en, { n: model.period.days })} · ${fill(TEXT.lastDays.zh, { n: model.period.days })} (${model.days[0] ?? ''} – ${model.days.at(-1) ?? ''}, UTC+8)` +
          (model.category ? ` · ${both(TEXT.allCategoriesDaily)}` : ''));
      tiers.replaceChildren(talentTiers(model));
      matrix.replaceChildren(recognitionTable(model));
      labs.replaceChildren(jointLabs(model));
      services.replaceChildren(servicesTable(model));

      const time = new Date().toLocaleTimeString('zh-CN', { hour12: false });
      updated.textContent = `${both(TEXT.updated)} ${time}`;
      main.dataset['renders'] = String(++renders);
      main.dataset['state'] = 'ready';
    },
    setBusy(busy) {
      refresh.disabled = busy;
      main.setAttribute('aria-busy', String(busy));
    },
    showProblem(message) {
      bannerArea.replaceChildren(h('div', { class: 'banner', role: 'alert', 'data-testid': 'banner-problem' }, message));
      main.dataset['state'] = 'problem';
    },
  };
}
