import { MAX_AUTHOR_LENGTH, MAX_TEXT_LENGTH, MAX_TITLE_LENGTH } from '../../schemas/text-limits.js';

/**
 * Longest texts kept from what a page or feed says, shared by every task that extracts them; the same
 * limits storage applies (schemas/text-limits.ts), so what extraction keeps is what is stored.
 */
export { MAX_AUTHOR_LENGTH, MAX_TITLE_LENGTH };
/** Longest article text kept; beyond it the page is not an article but a dump. */
export const MAX_ARTICLE_TEXT = MAX_TEXT_LENGTH;
