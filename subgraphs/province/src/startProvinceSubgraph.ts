import { ClientStatusDirectory, createMailer, startSubgraphService, type Logger, type RunningService, type SubgraphService } from '../../../shared/src';
import { platformClientStandings } from './clientGrants/platformClientStandings';
import type { ProvinceConfig } from './config';
import { createProvinceSubgraph, type ProvinceSubgraphOptions } from './createProvinceSubgraph';
import type { ProvinceContext } from './ProvinceContext';
import { createProvinceDataSource } from './provinceDataSource';
import { loadProvinceSeed, seedProvince } from './seeds';
import { noShowSweeper } from './usage/NoShowSweeper';
import { DeliveryWorker } from './events/delivery/DeliveryWorker';
import { WebhookRepository } from './events/WebhookRepository';
import { WebhookSecretBox } from './events/delivery/webhookSecretKeys';
import { MailNotificationRepository } from './notifications/MailNotificationRepository';
import { MailNotificationWorker } from './notifications/MailNotificationWorker';
import { platformMailRecipients } from './notifications/platformMailRecipients';
import { platformPeople } from './domain/platformPeople';

/** One province's subgraph: its database (migrated, seeded as configured), its schema, its HTTP server. */
export function startProvinceSubgraph(config: ProvinceConfig, logger: Logger): Promise<RunningService> {
  return startSubgraphService(provinceSubgraphService(config), config, logger);
}

/** What one province's subgraph is, for startSubgraphService (its own process) or openLocalSubgraph (in-process). */
export function provinceSubgraphService(
  config: ProvinceConfig,
  options: Pick<ProvinceSubgraphOptions, 'gatewayFetch'> & { readonly platformFetch?: typeof fetch } = {},
): SubgraphService<ProvinceContext> {
  const { platformFetch, ...subgraphOptions } = options;
  const { province, partner } = config;
  return {
    name: province.key,
    databaseRole: `${province.key}_svc`,
    createDataSource: (url, poolSize) => createProvinceDataSource(province, url, poolSize),
    // Only this province's seed file is read.
    seedDemo: (dataSource) => seedProvince(dataSource, loadProvinceSeed(province.key)),
    createParts: (dataSource, logger, metrics) => {
      const platform = { url: config.platformUrl, gatewaySecret: config.gatewaySecret, fetch: platformFetch };
      const clientStandings = new ClientStatusDirectory({
        load: platformClientStandings(platform),
        maxAgeMs: config.clientStatus.maxAgeMs,
        maxStaleMs: config.clientStatus.maxStaleMs,
      });
      // The subgraph is made below; deliveries start once it is.
      const webhookSecrets = new WebhookSecretBox(config.webhookSecretKeys);
      const deliveries = new DeliveryWorker(
        province, new WebhookRepository(dataSource.manager), config.webhooks, logger, (clientIds) => subgraph.clientEntitlements(clientIds), webhookSecrets,
      );
      const notifications = config.notifications.concurrency > 0
        ? new MailNotificationWorker(
          province, new MailNotificationRepository(dataSource.manager), platformMailRecipients(platform), createMailer(config.mail, logger), config.notifications, logger,
        )
        : null;
      const subgraph = createProvinceSubgraph(province, partner, dataSource, {
        metrics,
        gatewayUrl: config.gatewayUrl,
        maxOpenBookingsPerPerson: config.maxOpenBookingsPerPerson,
        clientStandings,
        people: platformPeople(platform),
        logger,
        noShows: config.noShows,
        cardCodes: config.cardCodes,
        vouchers: config.vouchers,
        webhookPolicy: config.webhooks.policy,
        webhookSecrets,
        onEventsCommitted: () => {
          deliveries.wake();
          notifications?.wake();
        },
        ...subgraphOptions,
      });
      return {
        schema: subgraph.schema,
        // The verified caller's own header is kept to pass on when this subgraph asks the gateway for them.
        context: (req, { viewer, requestId }) => subgraph.createContext({ viewer, requestId, authorization: req.headers.authorization }),
        readyDetails: { province: province.key },
        plugins: subgraph.plugins,
        close: () => subgraph.close(),
        background: [subgraph.webhookSecretSealer, deliveries, ...(notifications ? [notifications] : []), noShowSweeper(subgraph.usage, province, config.noShows.sweepSeconds), subgraph.voucherSweeper],
      };
    },
  };
}
