import { ConfigError } from '../config/parseEnv';
import { bufferedStandardOutput, createLogger, type Logger } from '../logging/createLogger';
import { stopTracing } from '../tracing/startTracing';

/**
 * Runs one service as its own process: load its config, start it, then stop it
 * cleanly on SIGINT/SIGTERM (drain HTTP, close pools) and exit 0. A bad
 * configuration prints one readable message naming the variable, not a stack
 * trace, and exits 78 (EX_CONFIG). Logs go to standard output, buffered
 * (bufferedStandardOutput); a signal during start-up writes them out and then
 * ends the process as the signal would.
 */
export function runService<TConfig extends { readonly logLevel: string }>(
  service: string,
  loadConfig: () => TConfig,
  start: (config: TConfig, logger: Logger) => Promise<{ close(): Promise<void> }>,
  /** A more precise name for the logs once the config is known, e.g. `province-sichuan`. */
  serviceName?: (config: TConfig) => string,
): void {
  let config: TConfig;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${service}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  }
  const output = bufferedStandardOutput();
  const logger = createLogger(serviceName?.(config) ?? service, config.logLevel, output);
  let started: { close(): Promise<void> } | undefined;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (!started) {
      // Still starting, which cannot be undone halfway: end as the signal would have, with what was logged written out.
      output.flushSync();
      process.removeListener(signal, stop);
      process.kill(process.pid, signal);
      return;
    }
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    // Spans still in the export batch are sent before the process exits.
    started.close().then(stopTracing).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  start(config, logger).then(
    (service) => {
      started = service;
    },
    (error: unknown) => {
      logger.fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}
