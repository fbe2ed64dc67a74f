// What other packages may use of the province subgraph: its SDL per province (for composition).
export { renderProvinceSchema, renderProvinceSchemaFor, PROVINCE_SCHEMA_TEMPLATE } from './renderProvinceSchema';
// Running it: the entry point's parts, for a process of one's own (main.ts) or a test running it in-process.
export { loadProvinceConfig, DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON, type ProvinceConfig } from './config';
export { provinceSubgraphService, startProvinceSubgraph } from './startProvinceSubgraph';
// Its demo registry (for docs and tests).
export { DEMO_SEEDS, seededId } from './seeds';
// Its instrument categories (the bench generates registries with them).
export { INSTRUMENT_CATEGORIES } from './seeds/categories';
// Operators' commands (`npm run admin`): a province's database and its categories.
export { createProvinceDataSource } from './provinceDataSource';
export { loadCategories } from './admin/loadCategories';
export { readCategoryFile, NATIONAL_CATEGORIES_FILE } from './admin/categoryFile';
// Registry files (`npm run import`, `npm run export`, the bench): a whole registry as CSV or XLSX.
export { importRegistryFile, exportRegistryFile } from './admin/registryFiles';
export { formatOfFileName, type RegistryFileFormat } from './registryFiles/registryFileStreams';
export { REGISTRY_HEADERS } from './registryFiles/registryColumns';
export type { RegistryImportReport, RejectedRow } from './registryFiles/RegistryImportService';
