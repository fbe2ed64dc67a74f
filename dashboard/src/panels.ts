import {
  countOf, dailyUtilisationPercent, formatPercent, instrumentCountOf, qualifyingTiers, recognitionMatrix, splitLabInstruments, sum, utilisationOf,
  type DashboardModel,
} from './dashboardModel';
import type { JointLab } from './dashboardQuery';
import { h } from './dom';
import { both, fill, partnerOf, PROVINCE_KEYS, PROVINCES, TEXT, TIERS, type Bilingual, type ProvinceKey } from './labels';

/** A label as two spans, so the wall can style the Chinese and English parts. */
const label = (text: Bilingual, values: Readonly<Record<string, string | number>> = {}) => [
  h('span', { class: 'zh', lang: 'zh-CN' }, fill(text.zh, values)),
  ' ',
  h('span', { class: 'en', lang: 'en' }, fill(text.en, values)),
];

const provinceName = (key: ProvinceKey) => label(PROVINCES[key]);

/** Hours with at most one decimal, as the evaluation's forms give machine hours. */
const formatHours = (hours: number) => (Math.round(hours * 10) / 10).toLocaleString('en-US');

/** The banner naming each province that did not answer, and any other error message. */
export function banners(model: DashboardModel): HTMLElement[] {
  const items: HTMLElement[] = [];
  if (model.unavailable.length === 2) {
    items.push(h('div', { class: 'banner', role: 'alert', 'data-testid': 'banner-unavailable' }, both(TEXT.bothDown)));
  } else {
    for (const key of model.unavailable) {
      const other = PROVINCES[partnerOf(key)];
      const values = { p: PROVINCES[key].en, pz: PROVINCES[key].zh, o: other.en, oz: other.zh };
      items.push(
        h('div', { class: 'banner', role: 'alert', 'data-testid': `banner-unavailable-${key}` },
          h('strong', null, fill(TEXT.provinceDown.en, values)), ' ', fill(TEXT.provinceDown.zh, values)),
      );
    }
  }
  if (model.otherErrors.length > 0) {
    items.push(h('div', { class: 'banner banner-warning', role: 'status', 'data-testid': 'banner-errors' },
      h('strong', null, `${both(TEXT.partialErrors)}: `), model.otherErrors.join(' · ')));
  }
  return items;
}

function kpi(testId: string, title: Bilingual, value: string | number, sub: (Node | string)[]): HTMLElement {
  return h('div', { class: 'kpi', 'data-testid': testId },
    h('div', { class: 'kpi-label' }, label(title)),
    h('div', { class: 'kpi-value' }, String(value)),
    h('div', { class: 'kpi-sub' }, sub));
}

/** One province's headline figures for the period (instruments and utilisation follow the category filter). */
export function provincePanel(key: ProvinceKey, model: DashboardModel): HTMLElement {
  const figures = model.provinces[key];
  const panel = h('section', { class: `province-panel province-${key}`, 'data-testid': `panel-${key}`, 'aria-label': both(PROVINCES[key]) },
    h('h2', null, h('span', { class: 'swatch', style: undefined }), provinceName(key)));
  if (!figures) {
    panel.classList.add('is-unavailable');
    panel.append(h('div', { class: 'unavailable' }, label(TEXT.unavailable)));
    return panel;
  }
  const { stats } = figures;
  const category = model.categories.find((c) => c.code === model.category);
  // Functions, not nodes: each tile needs its own copy (a node lives in one place only).
  const scope = () => (category ? [h('span', { class: 'zh' }, category.nameZh), ' ', h('span', { class: 'en' }, category.nameEn)] : label(TEXT.allCategories));
  const period = () => label(TEXT.lastDays, { n: model.period.days });
  const cards = sum(stats.talentCardsByTier.map((row) => row.count));
  panel.append(h('div', { class: 'kpis' },
    kpi(`kpi-${key}-instruments`, TEXT.instruments, instrumentCountOf(stats, model.category), scope()),
    kpi(`kpi-${key}-bookings`, TEXT.bookings, sum(stats.bookingsPerDay.map((row) => row.bookings)), period()),
    kpi(`kpi-${key}-utilisation`, TEXT.utilisation, formatPercent(utilisationOf(stats, model.category)), scope()),
    kpi(`kpi-${key}-labs`, TEXT.labs, stats.labs, [`${stats.jointLabs} `, ...label(TEXT.jointLabs)]),
    kpi(`kpi-${key}-cards`, TEXT.talentCards, cards, [`${countOf(stats.talentCardsByStatus, 'ACTIVE')} `, ...label(TEXT.active)]),
    kpi(`kpi-${key}-recognitions`, TEXT.recognitions, stats.recognitionsGranted, period()),
  ));
  // The evaluation's figures for the same period: the annual view when the period is 365 days.
  const total = figures.evaluation.total;
  panel.append(h('h3', { class: 'evaluation-title' }, label(TEXT.evaluation)), h('div', { class: 'kpis evaluation' },
    kpi(`kpi-${key}-effective-hours`, TEXT.effectiveHours, formatHours(total.effectiveHours), period()),
    kpi(`kpi-${key}-external-hours`, TEXT.externalHours, formatHours(total.externalServiceHours),
      [formatPercent(total.effectiveHours > 0 ? total.externalServiceHours / total.effectiveHours : null), ' ', ...label(TEXT.ofEffective)]),
    kpi(`kpi-${key}-other-province-hours`, TEXT.otherProvinceHours, formatHours(total.otherProvinceServiceHours), period()),
    kpi(`kpi-${key}-users-served`, TEXT.usersServed, total.usersServed, [`${total.institutionsServed} `, ...label(TEXT.institutions)]),
    kpi(`kpi-${key}-no-shows`, TEXT.noShows, total.noShows, period()),
    kpi(`kpi-${key}-average-rating`, TEXT.averageRating, total.averageRating === null ? '–' : total.averageRating.toFixed(2), label(TEXT.ratingOutOf)),
  ));
  return panel;
}

/** Statuses of a request that is still being worked on (accepted, samples in, under way). */
const UNDER_WAY = ['ACCEPTED', 'SAMPLES_RECEIVED', 'IN_PROGRESS'];
const OFFERING_KINDS: readonly [string, Bilingual][] = [
  ['SELF_OPERATED', { en: 'self-operated', zh: '自主上机' }],
  ['SAMPLE_TESTING', { en: 'sample testing', zh: '送样检测' }],
  ['ASSISTED_OPERATION', { en: 'assisted', zh: '协助操作' }],
  ['RD_PROJECT', { en: 'R&D', zh: '研发' }],
  ['CONSULTATION', { en: 'consultation', zh: '咨询' }],
];

/** Yuan from a decimal string of fen, exact: BigInt division, never a float. */
export function formatYuan(fen: string): string {
  const value = BigInt(fen);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${(abs / 100n).toLocaleString('en')}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Service requests, turnaround, income by kind of service and the province's innovation vouchers, both provinces side by side. */
export function servicesTable(model: DashboardModel): HTMLElement {
  const cell = (key: ProvinceKey, testId: string, value: (stats: NonNullable<DashboardModel['provinces'][ProvinceKey]>['stats']) => string | number) => {
    const stats = model.provinces[key]?.stats;
    return h('td', { 'data-testid': `${testId}-${key}`, class: `province-${key}` }, stats ? String(value(stats)) : '–');
  };
  const row = (title: Bilingual, testId: string, value: Parameters<typeof cell>[2]) =>
    h('tr', null, h('th', { scope: 'row' }, label(title)), PROVINCE_KEYS.map((key) => cell(key, testId, value)));
  return h('table', { class: 'numbers services', 'data-testid': 'services' },
    h('caption', { class: 'visually-hidden' }, both(TEXT.servicesTitle)),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, ''), PROVINCE_KEYS.map((key) => h('th', { scope: 'col', class: `province-${key}` }, provinceName(key))))),
    h('tbody', null,
      row(TEXT.serviceRequests, 'service-requests', (stats) => sum(stats.serviceRequestsByStatus.map((r) => r.count))),
      row(TEXT.inProgress, 'service-under-way', (stats) => sum(UNDER_WAY.map((status) => countOf(stats.serviceRequestsByStatus, status)))),
      row(TEXT.reportsIssued, 'service-reports', (stats) => stats.serviceTurnaround.reportsIssued),
      row(TEXT.turnaround, 'service-turnaround', (stats) => stats.serviceTurnaround.averageDays?.toFixed(1) ?? '–'),
      row(TEXT.income, 'service-income', (stats) => formatYuan(stats.incomeByOfferingKind.reduce((total, r) => total + BigInt(r.amountFen), 0n).toString())),
      ...OFFERING_KINDS.map(([kind, title]) =>
        row(title, `service-income-${kind}`, (stats) => formatYuan(stats.incomeByOfferingKind.find((r) => r.key === kind)?.amountFen ?? '0'))),
      // The province's own vouchers: issued in the period, and captured in it wherever they paid, across the border included.
      row(TEXT.vouchersIssued, 'vouchers-issued', (stats) => stats.vouchersIssued),
      row(TEXT.voucherFenIssued, 'voucher-fen-issued', (stats) => formatYuan(stats.voucherIssuedTotalFen)),
      row(TEXT.voucherFenCaptured, 'voucher-fen-captured', (stats) => formatYuan(stats.voucherCapturedTotalFen)),
      row(TEXT.voucherFenAcrossBorder, 'voucher-fen-across-border', (stats) => formatYuan(stats.voucherRedeemedAcrossBorderTotalFen))));
}

/** Talent cards per tier, a card per tier, both provinces side by side. */
export function talentTiers(model: DashboardModel): HTMLElement {
  return h('div', { class: 'tiers' }, PROVINCE_KEYS.map((key) => {
    const stats = model.provinces[key]?.stats;
    return h('div', { class: `tier-group province-${key}`, 'data-testid': `tiers-${key}` },
      h('h3', null, h('span', { class: 'swatch' }), label(PROVINCES[key].card)),
      stats
        ? h('div', { class: 'tier-cards' }, TIERS.map((tier) =>
            h('div', { class: `tier-card tier-${tier}`, 'data-testid': `tier-${key}-${tier}` },
              h('span', { class: 'visually-hidden' }, `${both(TEXT.tier)} `),
              h('span', { class: `tier-badge tier-${tier}` }, tier),
              h('span', { class: 'tier-count' }, countOf(stats.talentCardsByTier, tier)))))
        : h('div', { class: 'unavailable small' }, label(TEXT.unavailable)),
      stats
        ? h('p', { class: 'tier-status', 'data-testid': `card-status-${key}` }, ([['ACTIVE', TEXT.active], ['EXPIRED', TEXT.expired], ['REVOKED', TEXT.revoked]] as const)
            .flatMap(([status, text], index) => [index > 0 ? ' · ' : '', h('b', null, countOf(stats.talentCardsByStatus, status)), ...label(text)]))
        : null);
  }));
}

/** Which of the eight items each province grants to the other's card holders, and from which tier. */
export function recognitionTable(model: DashboardModel): HTMLElement {
  const rows = recognitionMatrix(model);
  // The partner's province rather than its card's full name, so the header stays as narrow as the grants below it.
  const header = (key: ProvinceKey) =>
    h('th', { scope: 'col', class: `province-${key}` },
      h('div', { class: 'th-province' }, h('span', { class: 'swatch' }), provinceName(key)),
      h('div', { class: 'th-sub' }, label(TEXT.forHolders, { p: PROVINCES[partnerOf(key)].en, pz: PROVINCES[partnerOf(key)].zh })));
  return h('table', { class: 'matrix', 'data-testid': 'recognition-matrix' },
    h('caption', { class: 'visually-hidden' }, both(TEXT.recognitionMatrix)),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, label(TEXT.serviceItem)), PROVINCE_KEYS.map(header))),
    h('tbody', null, rows.map((row) =>
      h('tr', { 'data-code': row.code },
        h('th', { scope: 'row' }, h('span', { class: 'zh' }, row.nameZh), h('span', { class: 'en' }, row.name)),
        PROVINCE_KEYS.map((key) => {
          const grant = row.grants[key];
          const testId = `grant-${key}-${row.code}`;
          if (grant === undefined) return h('td', { class: 'grant unknown', 'data-testid': testId, title: both(TEXT.unavailable) }, '?');
          if (grant === null) return h('td', { class: 'grant none', 'data-testid': testId, title: both(TEXT.notGranted) }, '—');
          return h('td', { class: 'grant', 'data-testid': testId, 'data-minimum-tier': grant.minimumTier, title: grant.provider },
            h('span', { class: `tier-badge tier-${grant.minimumTier}` }, qualifyingTiers(grant.minimumTier)));
        })))),
    h('tfoot', null, h('tr', null, h('td', { colspan: 3 }, label(TEXT.qualifyingTiers)))));
}

function jointLab(owner: ProvinceKey, lab: JointLab, selected: string | null): HTMLElement {
  const { own, partner, missing } = splitLabInstruments(owner, lab.instruments);
  const partnerKey = partnerOf(owner);
  return h('li', { class: 'lab', 'data-testid': `lab-${lab.id}` },
    h('div', { class: 'lab-name', title: `${lab.nameZh} ${lab.name}` }, h('span', { class: 'zh' }, lab.nameZh), h('span', { class: 'en' }, lab.name)),
    h('div', { class: 'lab-meta' },
      h('span', { class: 'own-count' }, `${own.length} `, ...label(TEXT.ownInstruments)), ' · ',
      h('span', { class: `partner-count province-${partnerKey}` }, `${partner.length} `, ...provinceName(partnerKey), ' ', ...label(TEXT.instrumentWord)),
      missing > 0 ? h('span', { class: 'missing' }, ` · ${missing} `, ...label(TEXT.unavailable)) : null),
    h('ul', { class: `chips province-${partnerKey}` }, partner.map((instrument) =>
      h('li', { class: selected === instrument.category ? 'chip is-selected' : 'chip', title: instrument.name, 'data-category': instrument.category },
        instrument.nameZh))));
}

/** Each province's joint labs with the partner province's instruments they share. */
export function jointLabs(model: DashboardModel): HTMLElement {
  return h('div', { class: 'labs' }, PROVINCE_KEYS.map((key) => {
    const figures = model.provinces[key];
    return h('div', { class: `lab-group province-${key}`, 'data-testid': `labs-${key}` },
      h('h3', null, h('span', { class: 'swatch' }), provinceName(key)),
      !figures
        ? h('div', { class: 'unavailable small' }, label(TEXT.unavailable))
        : figures.labs.length === 0
          ? h('p', { class: 'muted' }, label(TEXT.noJointLabs))
          : h('ul', { class: 'lab-list' }, figures.labs.map((lab) => jointLab(key, lab, model.category))));
  }));
}

/** The bar chart's numbers as a table, for screen readers (and for anyone checking the chart against the API). */
export function instrumentsTable(model: DashboardModel): HTMLElement {
  // A wrapper is hidden rather than the table: a table never gets narrower than its content.
  return h('div', { class: 'visually-hidden' }, h('table', { 'data-testid': 'table-instruments-by-category' },
    h('caption', null, both(TEXT.instrumentsByCategory)),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, both(TEXT.category)),
      PROVINCE_KEYS.map((key) => h('th', { scope: 'col', 'data-province': key }, both(PROVINCES[key]))))),
    h('tbody', null, model.categories.map((c) =>
      h('tr', { 'data-category': c.code },
        h('th', { scope: 'row' }, `${c.nameEn} ${c.nameZh}`),
        PROVINCE_KEYS.map((key) => {
          const stats = model.provinces[key]?.stats;
          return h('td', { 'data-province': key }, stats ? String(countOf(stats.instrumentsByCategory, c.code)) : '–');
        }))))));
}

/** The line chart's numbers as a table. */
export function bookingsTable(model: DashboardModel): HTMLElement {
  const utilisation = Object.fromEntries(PROVINCE_KEYS.map((key) => {
    const stats = model.provinces[key]?.stats;
    return [key, stats ? dailyUtilisationPercent(stats) : null];
  })) as Record<ProvinceKey, number[] | null>;
  return h('div', { class: 'visually-hidden' }, h('table', { 'data-testid': 'table-bookings-per-day' },
    h('caption', null, both(TEXT.bookingsOverTime)),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, both(TEXT.day)),
      PROVINCE_KEYS.flatMap((key) => [
        h('th', { scope: 'col' }, `${both(PROVINCES[key])} · ${both(TEXT.bookings)}`),
        h('th', { scope: 'col' }, `${both(PROVINCES[key])} · ${both(TEXT.utilisation)} %`),
      ]))),
    h('tbody', null, model.days.map((day, index) =>
      h('tr', { 'data-day': day },
        h('th', { scope: 'row' }, day),
        PROVINCE_KEYS.flatMap((key) => {
          const row = model.provinces[key]?.stats.bookingsPerDay[index];
          return [
            h('td', { 'data-province': key, 'data-series': 'bookings' }, row ? String(row.bookings) : '–'),
            h('td', { 'data-province': key, 'data-series': 'utilisation' }, utilisation[key]?.[index]?.toFixed(1) ?? '–'),
          ];
        }))))));
}
