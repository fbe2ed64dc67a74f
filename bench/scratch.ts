import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../shared/src';
import { launchSystem } from '../scripts/system/launchSystem';
import { generateProvinceData } from './data/generateData';

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'shuangcheng-bench-'));
  chmodSync(dataDir, 0o755);
  const system = await launchSystem({ dataDir, logLevel: 'warn', logger: createLogger('bench', 'warn'), ports: { gateway: 0, platform: 0, sichuan: 0, chongqing: 0, postgres: 0 } });
  writeFileSync('/tmp/benchdev/system.json', JSON.stringify({ ...system, services: system.services.map((s) => ({ name: s.name, pid: s.process.pid })) }, null, 2));
  const scale = JSON.parse(process.env.SCALE ?? '{"labs":200,"instruments":5000,"talentCards":2000,"bookings":20000}');
  await Promise.all((['sichuan', 'chongqing'] as const).map(async (p) => {
    const t = Date.now();
    await generateProvinceData(system.databaseUrls[p], p, scale, { seed: 'shuangcheng', anchorDay: new Date().toISOString().slice(0, 10), partnerReferenceSpan: 1000 });
    console.log(p, 'generated in', Date.now() - t, 'ms');
  }));
  console.log('ready', system.gatewayUrl);
  process.on('SIGINT', () => system.stop().then(() => process.exit(0)));
  process.on('SIGTERM', () => system.stop().then(() => process.exit(0)));
}
main().catch((e) => { console.error(e); process.exit(1); });
