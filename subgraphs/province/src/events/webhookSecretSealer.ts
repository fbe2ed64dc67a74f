import type { BackgroundWork } from '../../../../shared/src';
import type { WebhookService } from './WebhookService';

/**
 * Once the province serves: seals the webhook secrets still stored plain (rows from before sealing) and seals again
 * those of a key no longer the first of WEBHOOK_SECRET_KEYS (a rotation), so the older key can be retired once every
 * replica has started with the new list. Until then deliveries open either form.
 */
export function webhookSecretSealer(webhooks: WebhookService): BackgroundWork {
  let running: Promise<void> | undefined;
  return {
    start(logger) {
      running = webhooks.sealStoredSecrets().then(
        ({ sealed, unopened }) => {
          if (sealed > 0) logger.info({ sealed }, 'webhook signing secrets sealed with the current key');
          if (unopened.length > 0) {
            logger.warn({ subscriptions: unopened }, 'webhook signing secrets sealed with a key WEBHOOK_SECRET_KEYS no longer holds: add it back, or rotate those secrets');
          }
        },
        (error: unknown) => logger.error({ err: error }, 'webhook signing secrets not sealed; trying again at the next start'),
      );
    },
    async stop() {
      await running;
    },
  };
}
