// What other packages may use of the gateway: its config and start-up, for a process of one's own (main.ts) or a test running it in-process.
export { loadGatewayConfig, SUPERGRAPH_FILE, type GatewayConfig } from './config';
export { openLocalGateway, startGateway, type LocalGateway, type LocalGatewayOptions, type RunningGateway } from './startGateway';
