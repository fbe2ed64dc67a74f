import { ConfigError } from '../config/parseEnv';
import { bufferedStandardOutput, createLogger, type Logger } from '../logging/createLogger';
import { stopTracing } from '../tracing/startTracing';

/**
 * Runs one service as its own process: load its config, start it, then stop it
 * cleanly on SIGINT/SIGTERM (drain HTTP, close pools) and exit 0. A bad
 * configuration prints one readable message naming the variable, not a stack
 * trace, and exits 78 (EX_CONFIG).
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
  const logger = createLogger(serviceName?.(config) ?? service, config.logLevel, bufferedStandardOutput());
  start(config, logger).then(
    (service) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'stopping');
        // Spans still in the export batch are sent before the process exits.
        service.close().then(stopTracing).then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'error while stopping');
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    },
    (error: unknown) => {
      logger.fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}
