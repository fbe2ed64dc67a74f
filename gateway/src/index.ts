// What other packages may use of the gateway: its config and start-up, for a process of one's own (main.ts) or a test
// running it in-process; its answer shaping and the supergraph as it loads it, for the bench to measure the shaping.
export { loadGatewayConfig, SUPERGRAPH_FILE, type GatewayConfig } from './config';
export { openLocalGateway, startGateway, type LocalGateway, type LocalGatewayOptions, type RunningGateway } from './startGateway';
export { apolloComputeResponse, shapeResponse, type ShapeInput } from './execution/shapeResponse';
export { supergraphForGateway } from './supergraphForGateway';
