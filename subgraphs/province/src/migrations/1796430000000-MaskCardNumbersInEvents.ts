import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Talent-card events now say of a card its id and its number masked (`maskedCardNumber`, as `maskCardNumber` masks
 * it), never the whole number. Events written before carried `cardNumber`, and `events(after:)` and a webhook replay
 * would still hand them out: their state is masked here the same way. `down` puts the number back from the card.
 */
export class MaskCardNumbersInEvents1796430000000 implements MigrationInterface {
  name = 'MaskCardNumbersInEvents1796430000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE events SET state = (state - 'cardNumber') || jsonb_build_object('maskedCardNumber',
        coalesce(substring(state->>'cardNumber' FROM '^(.*-)'), '')
          || repeat('*', greatest(length(substring(state->>'cardNumber' FROM '[^-]*$')) - 2, 0))
          || right(substring(state->>'cardNumber' FROM '[^-]*$'), 2))
      WHERE type LIKE 'talentCard.%' AND state ? 'cardNumber'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The entity id is `<province prefix>:talentcard:<the card's id>`.
    await queryRunner.query(`
      UPDATE events e SET state = (e.state - 'maskedCardNumber') || jsonb_build_object('cardNumber', c.card_number)
      FROM talent_cards c
      WHERE e.type LIKE 'talentCard.%' AND e.state ? 'maskedCardNumber' AND c.id::text = split_part(e.entity_id, ':', 3)`);
  }
}
