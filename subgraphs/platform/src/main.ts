import { runService } from '../../../shared/src';
import { loadPlatformConfig } from './config';
import { startPlatformSubgraph } from './startPlatformSubgraph';

runService('platform', () => loadPlatformConfig(), startPlatformSubgraph);
