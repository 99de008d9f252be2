import {
  MAX_AUTHOR_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_TITLE_LENGTH,
  normaliseLanguageTag,
  storableImageUrl,
  storableText,
} from '../../schemas/text-limits.js';
import type { Database } from './database.js';
import { recordItemEvent } from './item-events.js';

import type { ArticleText, ItemToEnrich } from '../../activities/ports.js';
export type { ArticleText, ItemToEnrich } from '../../activities/ports.js';

/** A run's new items that have no text yet, oldest id first: a retried enrichment resumes where it stopped. */
export async function findItemsToEnrich(db: Database, runId: string, max: number): Promise<ItemToEnrich[]> {
  return db
    .selectFrom('items')
    .select(['id', 'url'])
    .where('run_id', '=', runId)
    .where('text', 'is', null)
    .orderBy('id')
    .limit(max)
    .execute();
}

/**
 * Stores an article's text on its item. What the listing already said (title, author, date) wins: the
 * feed's title is the one editors chose for it, the page's may carry the site's name.
 */
export async function storeArticleText(db: Database, itemId: number, article: ArticleText): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('items')
      .set((eb) => ({
        // A stranger's page: stored like every item text (schemas/text-limits.ts).
        text: storableText(article.text, MAX_TEXT_LENGTH),
        title: eb.fn.coalesce('title', eb.val(storableText(article.title, MAX_TITLE_LENGTH))),
        author: eb.fn.coalesce('author', eb.val(storableText(article.author, MAX_AUTHOR_LENGTH))),
        published_at: eb.fn.coalesce('published_at', eb.val(article.publishedAt)),
        image_url: eb.fn.coalesce('image_url', eb.val(storableImageUrl(article.imageUrl))),
        language: eb.fn.coalesce('language', eb.val(normaliseLanguageTag(article.language))),
      }))
      .where('id', '=', itemId)
      .execute();
    await recordItemEvent(tx, { itemId, kind: 'enriched', detail: { chars: article.text.length } });
  });
}

/** parse_now could not read the item's page: its lineage says why; the item keeps what the listing gave. */
export async function recordArticleSkipped(db: Database, itemId: number, reason: string): Promise<void> {
  await recordItemEvent(db, { itemId, kind: 'enrich_skipped', detail: { reason: reason.slice(0, 500) } });
}
