// What other packages may use of the platform subgraph: its SDL (for composition) and its demo accounts (for docs and tests).
export { renderPlatformSchema, PLATFORM_SCHEMA_TEMPLATE } from './renderPlatformSchema';
export {
  DEMO_ACCOUNTS, DEMO_CLIENTS, DEMO_DASHBOARD_CLIENT, DEMO_HOSPITAL_CLIENT, DEMO_IDENTITY_PROVIDER, DEMO_PARTNER_CLIENT, DEMO_PASSWORD, type DemoAccount,
} from './seeds/demoAccounts';
// Running it: the entry point's parts, for a process of one's own (main.ts) or a test running it in-process.
export { loadPlatformConfig, type PlatformConfig } from './config';
export { platformSubgraphService, startPlatformSubgraph } from './startPlatformSubgraph';
export { hashPassword } from './services/passwords';
// Operators' commands (`npm run admin`): the platform database, its first admin and partner clients.
export { createPlatformDataSource } from './platformDataSource';
export { createAdminAccount, type AdminAccountRequest, type AdminAccountResult } from './admin/createAdminAccount';
export { registerPartnerClient, type PartnerClientRequest, type PartnerClientResult } from './admin/registerPartnerClient';
