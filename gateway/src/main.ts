import { runService } from '../../shared/src';
import { loadGatewayConfig } from './config';
import { startGateway } from './startGateway';

runService('gateway', () => loadGatewayConfig(), startGateway);
