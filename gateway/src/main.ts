// First: tracing instruments only the modules loaded after it (see ./tracing.ts).
import './tracing';
import { runService } from '../../shared/src';
import { loadGatewayConfig } from './config';
import { startGateway } from './startGateway';

runService('gateway', () => loadGatewayConfig(), startGateway);
