import type { BackgroundWork, Logger, ProvinceDefinition } from '../../../../shared/src';
import { systemActor } from '../domain/systemActor';
import type { UsageService } from './UsageService';

/**
 * The no-show sweep, every `intervalSeconds` in the province's process once it serves (0: never). One sweep at a time;
 * two processes of one province may both sweep, as the sweep skips rows the other holds. A failed sweep is
 * logged and the next one tries again.
 */
export function noShowSweeper(usage: UsageService, province: ProvinceDefinition, intervalSeconds: number): BackgroundWork {
  const sweeper = systemActor(province, 'no-show-sweeper', `${province.nameEn} no-show check`);
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  const sweep = (logger: Logger) => {
    if (running) return;
    running = usage
      .sweepNoShows(sweeper)
      .then((marked) => {
        if (marked > 0) logger.info({ marked }, 'bookings not checked in to marked NO_SHOW');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'no-show sweep failed; retrying at the next interval'))
      .finally(() => {
        running = null;
      });
  };
  return {
    start(logger) {
      if (intervalSeconds === 0) return;
      timer = setInterval(() => sweep(logger), intervalSeconds * 1000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
