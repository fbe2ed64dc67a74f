// What other packages may use of the platform subgraph: its SDL (for composition) and its demo accounts (for docs and tests).
export { platformSchemaSdl, PLATFORM_SCHEMA_FILE } from './platformSchema';
export { DEMO_ACCOUNTS, DEMO_DASHBOARD_CLIENT, DEMO_PARTNER_CLIENT, DEMO_PASSWORD, type DemoAccount } from './seeds/demoAccounts';
