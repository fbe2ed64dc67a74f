// The whole system on one machine, as `npm start` runs it; tests start private copies of it.
export { launchSystem, type RunningSystem, type SystemOptions, type SystemPorts, type Owner } from './launchSystem';
export { freePort } from './freePort';
export { spawnService, SERVICE_NODE_OPTIONS, type ChildService, type ExitStatus, type ServiceRuntime } from './childService';
