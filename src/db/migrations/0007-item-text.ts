import type { Kysely, Migration } from 'kysely';

/** Article tasks (web_article, parse_now) keep the article's text with the item. */
export const itemTextMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('items').addColumn('text', 'text').execute();
  },
};
