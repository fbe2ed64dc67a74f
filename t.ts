import { loadProvinceConfig } from './subgraphs/province/src/config';
import { createLogger } from './shared/src';
import { startProvinceSubgraph } from './subgraphs/province/src/startProvinceSubgraph';
(async () => {
  const cfg = loadProvinceConfig({ PROVINCE: 'chongqing', EMBEDDED_PG_DIR: '/tmp/cq-pg', EMBEDDED_PG_PORT: '5497', PORT: '4103' });
  const s = await startProvinceSubgraph(cfg, createLogger('x', 'warn'));
  const apolloModule = require('@apollo/server');
  let t = Date.now();
  await s.close();
  console.log('close', Date.now() - t);
})();
