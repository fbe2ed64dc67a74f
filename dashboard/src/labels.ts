import { PROVINCE_TABLE, partnerKeyOf, type ProvinceKey } from '../../shared/src/browser';
import type { TalentTier } from './dashboardQuery';

/** An English and a Chinese label; the wall shows both. */
export interface Bilingual {
  readonly en: string;
  readonly zh: string;
}

export { PROVINCE_KEYS, type ProvinceKey } from '../../shared/src/browser';

export interface ProvinceLabel extends Bilingual {
  /** The talent card the province issues. */
  readonly card: Bilingual;
  /** Chart colour. */
  readonly color: string;
}

/**
 * Province names come from the province table as well as from the API (`name`,
 * `nameZh`), because the page must name a province that is down and therefore
 * cannot answer.
 */
export const PROVINCES = Object.fromEntries(
  PROVINCE_TABLE.map((row) => [row.key, { en: row.nameEn, zh: row.nameZh, card: { en: row.cardName, zh: row.cardNameZh }, color: row.chartColor }]),
) as Readonly<Record<ProvinceKey, ProvinceLabel>>;

export const partnerOf: (key: ProvinceKey) => ProvinceKey = partnerKeyOf;

export const TIERS: readonly TalentTier[] = ['A', 'B', 'C', 'D'];

export const TEXT = {
  title: { en: 'Sichuan–Chongqing Science Resource Sharing', zh: '川渝科技资源共享服务看板' },
  signIn: { en: 'Sign in', zh: '登录' },
  signOut: { en: 'Sign out', zh: '退出' },
  refresh: { en: 'Refresh', zh: '刷新' },
  username: { en: 'Username', zh: '用户名' },
  password: { en: 'Password', zh: '密码' },
  useToken: { en: 'Use a read-only dashboard token', zh: '使用只读看板令牌' },
  token: { en: 'Token', zh: '令牌' },
  period: { en: 'Period', zh: '统计周期' },
  category: { en: 'Category', zh: '仪器类别' },
  allCategories: { en: 'All categories', zh: '全部类别' },
  lastDays: { en: 'Last {n} days', zh: '近{n}天' },
  updated: { en: 'Updated', zh: '更新于' },
  instruments: { en: 'Instruments', zh: '共享仪器' },
  bookings: { en: 'Bookings', zh: '预约次数' },
  utilisation: { en: 'Utilisation', zh: '机时利用率' },
  labs: { en: 'Labs', zh: '实验室' },
  jointLabs: { en: 'joint', zh: '联合共建' },
  talentCards: { en: 'Talent cards', zh: '人才卡' },
  active: { en: 'active', zh: '有效' },
  expired: { en: 'expired', zh: '已过期' },
  revoked: { en: 'revoked', zh: '已撤销' },
  recognitions: { en: 'Recognitions granted', zh: '互认服务次数' },
  evaluation: { en: 'Open-sharing evaluation (actual use)', zh: '开放共享评价（实际使用）' },
  effectiveHours: { en: 'Effective hours', zh: '有效机时' },
  externalHours: { en: 'External hours', zh: '对外服务机时' },
  otherProvinceHours: { en: 'Other province', zh: '跨省服务机时' },
  usersServed: { en: 'Users served', zh: '服务用户' },
  institutions: { en: 'institutions', zh: '家单位' },
  noShows: { en: 'No-shows', zh: '爽约' },
  averageRating: { en: 'Average rating', zh: '平均评分' },
  ofEffective: { en: 'of effective', zh: '占有效机时' },
  ratingOutOf: { en: 'out of 5', zh: '满分5分' },
  bookedHours: { en: 'booked hours', zh: '预约机时' },
  instrumentsByCategory: { en: 'Instruments by category', zh: '各类别共享仪器数量' },
  bookingsOverTime: { en: 'Bookings and utilisation per day', zh: '每日预约与机时利用率' },
  allCategoriesDaily: { en: 'Daily figures cover all categories', zh: '每日数据含全部类别' },
  talentCardsByTier: { en: 'Talent cards by tier', zh: '人才卡分级统计' },
  tier: { en: 'Tier', zh: '等级' },
  recognitionMatrix: { en: 'Mutual recognition of talent cards', zh: '人才卡互认服务' },
  serviceItem: { en: 'Service item', zh: '服务事项' },
  forHolders: { en: 'for {p} card holders', zh: '面向{pz}持卡人' },
  qualifyingTiers: { en: 'Card tiers that qualify (A is the highest)', zh: '可享受服务的人才卡等级（A 级最高）' },
  notGranted: { en: 'not granted', zh: '不提供' },
  servicesTitle: { en: 'Testing, R&D and consultation services, and innovation vouchers', zh: '检测、研发与咨询服务及科技创新券' },
  serviceRequests: { en: 'Requests submitted', zh: '服务申请' },
  inProgress: { en: 'under way', zh: '办理中' },
  reportsIssued: { en: 'Reports issued', zh: '已出具报告' },
  turnaround: { en: 'Average days to report', zh: '平均出报告天数' },
  income: { en: 'Income, yuan', zh: '服务收入（元）' },
  offeringKinds: { en: 'by kind of service', zh: '按服务类型' },
  vouchersIssued: { en: 'Innovation vouchers issued', zh: '发放科技创新券' },
  voucherFenIssued: { en: 'Vouchers issued, yuan', zh: '创新券发放额（元）' },
  voucherFenCaptured: { en: 'Vouchers redeemed, yuan', zh: '创新券兑付额（元）' },
  voucherFenAcrossBorder: { en: 'of which in the other province', zh: '其中跨省兑付' },
  jointLabsTitle: { en: 'Joint labs and their cross-province instruments', zh: '川渝联合实验室及跨省共享仪器' },
  ownInstruments: { en: 'own instruments', zh: '本省仪器' },
  instrumentWord: { en: 'instruments', zh: '仪器' },
  unavailable: { en: 'unavailable', zh: '暂不可用' },
  noJointLabs: { en: 'No joint labs', zh: '暂无联合实验室' },
  provinceDown: {
    en: '{p} ({pz}) is unavailable — showing {o} ({oz}) only.',
    zh: '{pz}数据暂时无法获取，以下仅显示{oz}数据。',
  },
  bothDown: { en: 'Sichuan (四川) and Chongqing (重庆) are unavailable.', zh: '四川、重庆数据暂时均无法获取。' },
  partialErrors: { en: 'Some figures could not be loaded', zh: '部分数据未能加载' },
  day: { en: 'Day', zh: '日期' },
  count: { en: 'Count', zh: '数量' },
  sessionExpired: { en: 'Your sign-in has expired; please sign in again.', zh: '登录已过期，请重新登录。' },
  tokenNotValid: { en: 'This token is not valid; please sign in, or paste a new dashboard token.', zh: '令牌无效，请重新登录或粘贴新的看板令牌。' },
  wrongLogin: { en: 'Wrong username or password.', zh: '用户名或密码错误。' },
  tooManySignIns: { en: 'Too many failed sign-in attempts; try again in {minutes} min.', zh: '登录失败次数过多，请{minutes}分钟后再试。' },
  signInFailed: { en: 'Sign-in failed.', zh: '登录失败。' },
  loginHint: {
    en: 'One account for both provinces. The embedded demo prints its demo logins when `npm start` starts.',
    zh: '一个账号，川渝通用（一键登录）。',
  },
} satisfies Record<string, Bilingual>;

/** Fills `{name}` placeholders. */
export function fill(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** "English 中文", the form most labels take on the wall. */
export const both = (label: Bilingual, values: Readonly<Record<string, string | number>> = {}): string =>
  `${fill(label.en, values)} ${fill(label.zh, values)}`;
