/**
 * Longest texts kept from what a page or feed says, shared by every task that extracts them: beyond
 * these a field is not a title, a byline or an article but a dump, and storing it would only cost.
 */
export const MAX_TITLE_LENGTH = 1000;
export const MAX_AUTHOR_LENGTH = 255;
/** Longest article text kept; beyond it the page is not an article but a dump. */
export const MAX_ARTICLE_TEXT = 200_000;
