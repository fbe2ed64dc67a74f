import { runService } from '../../../shared/src';
import { loadProvinceConfig } from './config';
import { startProvinceSubgraph } from './startProvinceSubgraph';

runService('province', () => loadProvinceConfig(), startProvinceSubgraph, (config) => `province-${config.province.key}`);
