import type { Kysely, Migration } from 'kysely';

/**
 * Items read from their article page (web_article, parse_now) keep the page's lead picture and its
 * language: two nullable text columns, alike in both dialects, filled for new items only (older items
 * keep null until a task reads their page again).
 */
export const itemImageLanguageMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('items').addColumn('image_url', 'text').execute();
    await db.schema.alterTable('items').addColumn('language', 'text').execute();
  },
};
