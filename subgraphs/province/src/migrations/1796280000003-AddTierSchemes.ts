import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each province's own tier scheme (its names for the four tier codes, highest first) and its mapping from the
 * partner's tiers to its own, which recognition of a partner card goes by. Created with neutral names and the
 * identity mapping, so a province that has not loaded its scheme recognises partner cards as before.
 */
export class AddTierSchemes1796280000003 implements MigrationInterface {
  name = 'AddTierSchemes1796280000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE talent_tiers (
        code char(1) PRIMARY KEY CHECK (code IN ('A', 'B', 'C', 'D')),
        name varchar(100) NOT NULL,
        name_zh varchar(100) NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE partner_tier_mapping (
        partner_tier char(1) PRIMARY KEY CHECK (partner_tier IN ('A', 'B', 'C', 'D')),
        own_tier char(1) NOT NULL REFERENCES talent_tiers (code)
      )`);
    await queryRunner.query(`INSERT INTO talent_tiers (code, name, name_zh) VALUES ('A', 'Tier A', 'A类'), ('B', 'Tier B', 'B类'), ('C', 'Tier C', 'C类'), ('D', 'Tier D', 'D类')`);
    await queryRunner.query(`INSERT INTO partner_tier_mapping (partner_tier, own_tier) VALUES ('A', 'A'), ('B', 'B'), ('C', 'C'), ('D', 'D')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE partner_tier_mapping');
    await queryRunner.query('DROP TABLE talent_tiers');
  }
}
