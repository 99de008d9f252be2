/**
 * How long a stored text may be, and what characters it may hold. Items and docs carry strangers'
 * text (feeds, pages, posts, model answers), so every field has a cap that bounds memory and rows, and
 * characters neither database can take (PostgreSQL refuses NUL outright) are dropped before storage.
 * Pure, so config schemas, activities and repositories share one set of numbers.
 */

/** URLs in configs and items: longer addresses are refused (configs) or skipped (items). */
export const MAX_URL_LENGTH = 8 * 1024;

export const MAX_TITLE_LENGTH = 1000;
export const MAX_SUMMARY_LENGTH = 2000;
export const MAX_AUTHOR_LENGTH = 255;
/** An article's full text, several pages joined. */
export const MAX_TEXT_LENGTH = 200_000;
/** Media addresses kept per item. */
export const MAX_MEDIA_URLS = 100;

/**
 * C0 controls except tab, line feed and carriage return (NUL among them: PostgreSQL cannot store it),
 * lone surrogates (half a character, which no UTF-8 encoder can write), and the noncharacters
 * U+FFFE/U+FFFF.
 */
const INVALID_CHARACTERS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text without the characters a database cannot store (see INVALID_CHARACTERS). */
export function stripInvalidCharacters(text: string): string {
  return text.replace(INVALID_CHARACTERS, '');
}

/**
 * A text ready to store: invalid characters stripped, then cut to `maxLength` with an ellipsis, never
 * in the middle of a surrogate pair.
 */
export function storableText(value: string, maxLength: number): string;
export function storableText(value: string | null | undefined, maxLength: number): string | null;
export function storableText(value: string | null | undefined, maxLength: number): string | null {
  if (value === null || value === undefined) return null;
  const text = stripInvalidCharacters(value);
  if (text.length <= maxLength) return text;
  let end = maxLength - 1;
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}
