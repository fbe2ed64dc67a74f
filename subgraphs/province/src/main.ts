// First: tracing instruments only the modules loaded after it (see ./tracing.ts).
import './tracing';
import { runService } from '../../../shared/src';
import { loadProvinceConfig } from './config';
import { startProvinceSubgraph } from './startProvinceSubgraph';

runService('province', () => loadProvinceConfig(), startProvinceSubgraph, (config) => `province-${config.province.key}`);
