import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent, LegendComponent, TooltipComponent,
  type GridComponentOption, type LegendComponentOption, type TooltipComponentOption,
} from 'echarts/components';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { countOf, dailyUtilisationPercent, type DashboardModel } from './dashboardModel';
import { both, PROVINCE_KEYS, PROVINCES, TEXT } from './labels';

// Only what the two charts use, so the bundle stays small. SVG rather than
// canvas: sharp on a large wall screen, and its numbers are text in the page.
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, sans-serif';
const TEXT_COLOR = '#c9d6ea';
const MUTED = '#7f93b5';
const GRID_LINE = '#1f3358';

export function createChart(container: HTMLElement): EChartsType {
  const chart = init(container, undefined, { renderer: 'svg' });
  new ResizeObserver(() => chart.resize()).observe(container);
  return chart;
}

const seriesName = (key: (typeof PROVINCE_KEYS)[number], model: DashboardModel) =>
  `${PROVINCES[key].en} ${PROVINCES[key].zh}${model.unavailable.includes(key) ? ` (${TEXT.unavailable.en} ${TEXT.unavailable.zh})` : ''}`;

const common = (): ChartOption => ({
  animation: false,
  textStyle: { fontFamily: FONT, color: TEXT_COLOR },
  tooltip: { trigger: 'axis', confine: true },
  legend: { top: 0, textStyle: { color: TEXT_COLOR, fontSize: 13 }, itemGap: 24 },
});

/** Horizontal bars: one row per category (Chinese and English name), one bar per province; the selected category stands out. */
export function instrumentsByCategoryOption(model: DashboardModel): ChartOption {
  const { categories, category: selected } = model;
  return {
    ...common(),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    // The provinces' colours are explained above the chart (an HTML legend), leaving the height to the categories.
    legend: { show: false },
    grid: { left: 8, right: 36, top: 4, bottom: 4, containLabel: true },
    // Each bar carries its number, so the value axis needs no labels of its own.
    xAxis: { type: 'value', minInterval: 1, axisLabel: { show: false }, splitLine: { lineStyle: { color: GRID_LINE } } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: categories.map((c) => c.code),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: GRID_LINE } },
      axisLabel: {
        interval: 0,
        formatter: (code: string) => {
          const c = categories.find((item) => item.code === code);
          const style = selected === null || selected === code ? '' : 'Dim';
          return c ? `{zh${style}|${c.nameZh}}\n{en${style}|${c.nameEn}}` : code;
        },
        rich: {
          zh: { color: '#e6edf7', fontSize: 13, fontWeight: 'bold', align: 'right', lineHeight: 14 },
          en: { color: MUTED, fontSize: 10, align: 'right', lineHeight: 11 },
          zhDim: { color: '#4b5f82', fontSize: 13, align: 'right', lineHeight: 14 },
          enDim: { color: '#3b4d6e', fontSize: 10, align: 'right', lineHeight: 11 },
        },
      },
    },
    series: PROVINCE_KEYS.map((key): BarSeriesOption => {
      const stats = model.provinces[key]?.stats;
      return {
        name: seriesName(key, model),
        type: 'bar',
        barGap: '15%',
        barCategoryGap: '28%',
        itemStyle: { color: PROVINCES[key].color, borderRadius: [0, 3, 3, 0] },
        label: {
          show: true,
          position: 'right',
          color: TEXT_COLOR,
          fontSize: 12,
          formatter: (params: { value?: unknown }) => (typeof params.value === 'number' && params.value > 0 ? String(params.value) : ''),
        },
        data: stats
          ? categories.map((c) => ({
              value: countOf(stats.instrumentsByCategory, c.code),
              itemStyle: { opacity: selected === null || selected === c.code ? 1 : 0.25 },
            }))
          : [],
      };
    }),
  };
}

/** Bookings per day (solid, left axis) and utilisation per day (dashed, right axis), for each province. */
export function bookingsOverTimeOption(model: DashboardModel): ChartOption {
  const series: LineSeriesOption[] = [];
  for (const key of PROVINCE_KEYS) {
    const stats = model.provinces[key]?.stats;
    const name = seriesName(key, model);
    const color = PROVINCES[key].color;
    series.push({
      name: `${name} · ${both(TEXT.bookings)}`,
      type: 'line',
      data: stats ? stats.bookingsPerDay.map((row) => row.bookings) : [],
      itemStyle: { color },
      lineStyle: { width: 2.5 },
      symbolSize: 5,
    });
    series.push({
      name: `${name} · ${both(TEXT.utilisation)}`,
      type: 'line',
      yAxisIndex: 1,
      data: stats ? dailyUtilisationPercent(stats) : [],
      itemStyle: { color },
      lineStyle: { width: 1.5, type: 'dashed' },
      symbol: 'none',
    });
  }
  return {
    ...common(),
    grid: { left: 8, right: 8, top: 86, bottom: 4, containLabel: true },
    legend: { top: 0, textStyle: { color: TEXT_COLOR, fontSize: 12 }, itemGap: 16, width: '100%' },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: model.days.map((day) => day.slice(5)),
      axisLabel: { color: MUTED },
      axisLine: { lineStyle: { color: GRID_LINE } },
    },
    yAxis: [
      {
        type: 'value',
        name: both(TEXT.bookings),
        nameTextStyle: { color: MUTED, align: 'left' },
        minInterval: 1,
        axisLabel: { color: MUTED },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
      {
        type: 'value',
        name: both(TEXT.utilisation),
        nameTextStyle: { color: MUTED, align: 'right' },
        axisLabel: { color: MUTED, formatter: '{value}%' },
        splitLine: { show: false },
      },
    ],
    series,
  };
}
