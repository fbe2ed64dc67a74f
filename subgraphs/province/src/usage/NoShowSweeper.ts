import type { Logger, ProvinceDefinition } from '../../../../shared/src';
import { systemActor } from '../domain/systemActor';
import type { UsageService } from './UsageService';

/**
 * Runs the no-show sweep every `intervalSeconds` in the province's process (0: never). One sweep at a time;
 * two processes of one province may both sweep, as the sweep skips rows the other holds. A failed sweep is
 * logged and the next one tries again.
 */
export function startNoShowSweeper(usage: UsageService, province: ProvinceDefinition, intervalSeconds: number, logger: Logger): { stop(): Promise<void> } {
  if (intervalSeconds === 0) return { stop: async () => {} };
  const sweeper = systemActor(province, 'no-show-sweeper', `${province.nameEn} no-show check`);
  let running: Promise<void> | null = null;
  const sweep = () => {
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
  const timer = setInterval(sweep, intervalSeconds * 1000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
