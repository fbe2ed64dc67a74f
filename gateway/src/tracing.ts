import { startTracing } from '../../shared/src/tracing/startTracing';

// main.ts imports this first, so http and undici are loaded after the instrumentation (README "Tracing").
startTracing('gateway');
