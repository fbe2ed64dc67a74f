import { startTracing } from '../../../shared/src/tracing/startTracing';

// main.ts imports this first, so http and pg are loaded after the instrumentation (README "Tracing").
// Traces are named after the deployment (sichuan, chongqing); loadProvinceConfig checks PROVINCE just after.
startTracing(process.env['PROVINCE'] ?? 'province');
