// First: tracing instruments only the modules loaded after it (see ./tracing.ts).
import './tracing';
import { runService } from '../../../shared/src';
import { loadPlatformConfig } from './config';
import { startPlatformSubgraph } from './startPlatformSubgraph';

runService('platform', () => loadPlatformConfig(), startPlatformSubgraph);
