import { startTracing } from '../../../shared/src/tracing/startTracing';

// main.ts imports this first, so http and pg are loaded after the instrumentation (README "Tracing").
startTracing('platform');
