// What other packages may use of the platform subgraph: its SDL (for composition) and its demo accounts (for docs and tests).
export { renderPlatformSchema, PLATFORM_SCHEMA_TEMPLATE } from './renderPlatformSchema';
export { DEMO_ACCOUNTS, DEMO_DASHBOARD_CLIENT, DEMO_PARTNER_CLIENT, DEMO_PASSWORD, type DemoAccount } from './seeds/demoAccounts';
