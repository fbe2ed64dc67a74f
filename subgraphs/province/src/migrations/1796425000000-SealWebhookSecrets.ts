import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook signing secrets are kept sealed (AES-256-GCM) beside the id of the key that sealed them. The key is
 * configuration (WEBHOOK_SECRET_KEYS), which a migration does not read: existing plain secrets stay in `secret`
 * until the province starts and seals them (WebhookSecretSealer), which also re-seals secrets of retired keys.
 * Exactly one of the two forms is stored per row.
 */
export class SealWebhookSecrets1796425000000 implements MigrationInterface {
  name = 'SealWebhookSecrets1796425000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE webhook_subscriptions ADD COLUMN secret_key_id varchar(40), ADD COLUMN secret_sealed text');
    await queryRunner.query('ALTER TABLE webhook_subscriptions ALTER COLUMN secret DROP NOT NULL');
    await queryRunner.query(`
      ALTER TABLE webhook_subscriptions ADD CONSTRAINT webhook_subscriptions_one_secret
      CHECK ((secret IS NULL) = (secret_sealed IS NOT NULL) AND (secret_key_id IS NULL) = (secret_sealed IS NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Going back needs the plain secrets, which only the keys open: refuse rather than lose them.
    const [{ sealed }] = await queryRunner.query('SELECT count(*)::int AS sealed FROM webhook_subscriptions WHERE secret IS NULL');
    if (sealed > 0) {
      throw new Error(`${sealed} webhook signing secret(s) are sealed; without their keys the plain form cannot be restored. Rotate those secrets after going back, or delete the subscriptions first.`);
    }
    await queryRunner.query('ALTER TABLE webhook_subscriptions DROP CONSTRAINT webhook_subscriptions_one_secret');
    await queryRunner.query('ALTER TABLE webhook_subscriptions ALTER COLUMN secret SET NOT NULL');
    await queryRunner.query('ALTER TABLE webhook_subscriptions DROP COLUMN secret_sealed, DROP COLUMN secret_key_id');
  }
}
