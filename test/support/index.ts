// Test support for tests outside test/ (source tests named *.system.test.ts): what they may use of it.
export { testSystem, tokenFor, graphql, gateway, onlyError, asGateway, type GraphQLResponse } from './system';
export { StatementLog } from './StatementLog';
export { until } from './until';
export { createOwnDatabase, dropOwnDatabase } from './ownDatabase';
export { DEMO_SEEDS, seededId, DEMO_ACCOUNTS, DEMO_PARTNER_CLIENT, DEMO_PASSWORD } from './demoData';
export { freePort } from '../../scripts/system';
