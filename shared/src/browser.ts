// What browser code (the dashboard) may use of shared: pure modules with no Node and no dependencies.
// The main index (index.ts) pulls in Node, PostgreSQL and Apollo, which a browser bundle cannot carry.
export { PROVINCE_KEYS, PROVINCE_TABLE, partnerKeyOf, type ProvinceKey } from './provinces/provinceTable';
export { chinaMidnight, DAY_MS } from './time/chinaTime';
