import { decodeHTML } from 'entities';

/**
 * Every HTML character reference (all 2,231 named ones, numeric ones, and the legacy forms a browser
 * accepts without `;`) as the character it stands for. The one place text from outside is decoded,
 * so a feed title, a search snippet and a page read `&eacute;` the same way.
 */
export function decodeHtmlEntities(text: string): string {
  return text.includes('&') ? decodeHTML(text) : text;
}
