// What other packages may use of the province subgraph: its SDL per province (for composition).
export { renderProvinceSchema, renderProvinceSchemaFor, PROVINCE_SCHEMA_TEMPLATE } from './renderProvinceSchema';
