// The demo data every system test file starts from (its databases are copies of the seeded templates).
export { DEMO_SEEDS, seededId } from '../../subgraphs/province/src';
export { DEMO_ACCOUNTS, DEMO_DASHBOARD_CLIENT, DEMO_PARTNER_CLIENT, DEMO_PASSWORD } from '../../subgraphs/platform/src';
