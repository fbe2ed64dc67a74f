import type { BackgroundWork } from '../../../../shared/src';
import type { AccountService } from './AccountService';

/**
 * Every `intervalSeconds` once the platform serves (0: never in this process), deletes the self-registrations whose
 * address was never verified (AccountService.purgeUnverified). One sweep at a time; replicas may sweep alike, as the
 * delete is one statement. A failed sweep is logged and the next one tries again.
 */
export function unverifiedAccountSweeper(accounts: AccountService, intervalSeconds: number): BackgroundWork {
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  return {
    start(logger) {
      if (intervalSeconds === 0) return;
      timer = setInterval(() => {
        if (running) return;
        running = accounts
          .purgeUnverified()
          .then((purged) => {
            if (purged > 0) logger.info({ purged }, 'self-registered accounts never verified deleted');
          })
          .catch((error: unknown) => logger.error({ err: error }, 'unverified account sweep failed; retrying at the next interval'))
          .finally(() => {
            running = null;
          });
      }, intervalSeconds * 1000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
