// What other packages may use of the province subgraph: its SDL per province (for composition).
export { renderProvinceSchema, PROVINCE_SCHEMA_TEMPLATE } from './renderProvinceSchema';
