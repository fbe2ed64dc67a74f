import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each instrument under each word of its search text, in the (name, id) order pages are cut in.
 *
 * A keyword search used to walk a category's instruments in name order and check the keyword on each, stopping at
 * the page's end. That is quick while matches are spread over the names, but a keyword matching a block of names late
 * in the order (every "Large-memory compute node" of 90,000 supercomputing instruments) read every name before them:
 * 60,000 index entries and 400 ms at 1,000,000 instruments a province.
 *
 * A keyword word holds no space (the search splits the keyword at white space), so it occurs in an instrument's
 * search text exactly when it occurs inside one of the text's space-separated words. The search therefore looks the
 * keyword up in the vocabulary of those words first, then reads each matching word's first instruments in name order
 * from `instrument_search_words`: a few index entries a word, however late its names sort.
 *
 * Both tables are kept by statement triggers on `instruments`, so every way rows change (the admin API, a registry
 * file, a set-based load of a million rows) keeps them exact; instruments refuse TRUNCATE (the stats tallies). Words
 * are never taken out of the vocabulary: a word no instrument has any more just finds nothing.
 */
export class IndexInstrumentSearchWords1796450000000 implements MigrationInterface {
  name = 'IndexInstrumentSearchWords1796450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE instrument_search_vocabulary (word text PRIMARY KEY)');
    await queryRunner.query('CREATE INDEX instrument_search_vocabulary_trigram_idx ON instrument_search_vocabulary USING gin (word gin_trgm_ops)');
    await queryRunner.query(`
      CREATE TABLE instrument_search_words (
        category_code text NOT NULL,
        word text NOT NULL,
        name text NOT NULL,
        id uuid NOT NULL,
        PRIMARY KEY (category_code, word, name, id)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION instrument_search_words_of(search_text text) RETURNS SETOF text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT DISTINCT word FROM string_to_table(search_text, ' ') AS word WHERE word <> ''
      $$`);

    // The words of the instruments in `rows` (on an update: of those whose category, name or text changed).
    const fileWords = (rows: 'new_rows' | 'instruments', unchanged = '') => `
      WITH added AS (
        SELECT n.category_code, w.word, n.name, n.id
        FROM ${rows} n CROSS JOIN LATERAL instrument_search_words_of(n.search_text) AS w(word)
        ${unchanged}
      ),
      vocabulary AS (
        -- In word order, so two transactions adding the same new words never wait on each other in a circle.
        INSERT INTO instrument_search_vocabulary (word) SELECT DISTINCT word FROM added ORDER BY word ON CONFLICT DO NOTHING
      )
      -- In index order: a load of a million instruments then fills the index front to back instead of at random pages.
      INSERT INTO instrument_search_words (category_code, word, name, id) SELECT category_code, word, name, id FROM added ORDER BY 1, 2, 3, 4`;
    // The filed words of old_rows (on an update: of those whose category, name or text changed).
    const unfileWords = (changed: string) => `
      DELETE FROM instrument_search_words s
      USING old_rows o CROSS JOIN LATERAL instrument_search_words_of(o.search_text) AS w(word)
      WHERE (s.category_code, s.word, s.name, s.id) = (o.category_code, w.word, o.name, o.id) ${changed}`;
    const sameRow = (a: string, b: string) =>
      `${b}.id = ${a}.id AND ${b}.category_code = ${a}.category_code AND ${b}.name = ${a}.name AND ${b}.search_text = ${a}.search_text`;

    await queryRunner.query(`
      CREATE FUNCTION file_instrument_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${fileWords('new_rows')};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION refile_instrument_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${unfileWords(`AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE ${sameRow('o', 'n')})`)};
        ${fileWords('new_rows', `WHERE NOT EXISTS (SELECT 1 FROM old_rows o WHERE ${sameRow('n', 'o')})`)};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION unfile_instrument_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${unfileWords('')};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER instruments_file_search_words AFTER INSERT ON instruments
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION file_instrument_search_words()`);
    await queryRunner.query(`
      CREATE TRIGGER instruments_refile_search_words AFTER UPDATE ON instruments
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refile_instrument_search_words()`);
    await queryRunner.query(`
      CREATE TRIGGER instruments_unfile_search_words AFTER DELETE ON instruments
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION unfile_instrument_search_words()`);
    // The instruments already registered.
    await queryRunner.query(fileWords('instruments'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER instruments_unfile_search_words ON instruments');
    await queryRunner.query('DROP TRIGGER instruments_refile_search_words ON instruments');
    await queryRunner.query('DROP TRIGGER instruments_file_search_words ON instruments');
    await queryRunner.query('DROP FUNCTION unfile_instrument_search_words()');
    await queryRunner.query('DROP FUNCTION refile_instrument_search_words()');
    await queryRunner.query('DROP FUNCTION file_instrument_search_words()');
    await queryRunner.query('DROP FUNCTION instrument_search_words_of(text)');
    await queryRunner.query('DROP TABLE instrument_search_words');
    await queryRunner.query('DROP TABLE instrument_search_vocabulary');
  }
}
