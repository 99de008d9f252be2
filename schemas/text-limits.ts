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
/** An item's lead image address: a longer one is no address a publisher means (data: URLs are refused anyway). */
export const MAX_IMAGE_URL_LENGTH = 2048;
/** A language tag: BCP 47 asks implementations to take at least 35 characters, and real ones are far shorter. */
export const MAX_LANGUAGE_TAG_LENGTH = 35;
/** A BCP 47-like tag: a 2–3 letter language, then subtags of 2–8 letters or digits. */
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;

/**
 * A page's lead image address as an item stores it: an absolute http(s) URL of at most
 * MAX_IMAGE_URL_LENGTH characters with nothing a database cannot store, else null (never cut: a cut
 * address leads nowhere).
 */
export function storableImageUrl(value: string | null | undefined): string | null {
  if (!value || value.length > MAX_IMAGE_URL_LENGTH || value !== stripInvalidCharacters(value)) return null;
  return /^https?:\/\/[^\s]/i.test(value) && !/\s/.test(value) ? value : null;
}

/**
 * A language as an item stores it: a short BCP 47-like tag (`en`, `pt-BR`, `zh-Hant-TW`) with its
 * conventional case, from what pages write (`en_US` in og:locale, `EN-us`, `de, en` in
 * Content-Language: the first one counts); null for anything else or longer than MAX_LANGUAGE_TAG_LENGTH.
 */
export function normaliseLanguageTag(value: string | null | undefined): string | null {
  const first = (value ?? '')
    .trim()
    .split(/[,;\s]/)[0]!
    .replace(/_/g, '-');
  if (first.length > MAX_LANGUAGE_TAG_LENGTH || !LANGUAGE_TAG.test(first)) return null;
  const [language, ...subtags] = first.split('-');
  const cased = subtags.map((subtag, index) => {
    // A region (`BR`, the two letters after the language) is upper case, a script (`Hant`) title case.
    if (/^[a-z]{2}$/i.test(subtag)) return subtag.toUpperCase();
    if (index === 0 && /^[a-z]{4}$/i.test(subtag)) return subtag[0]!.toUpperCase() + subtag.slice(1).toLowerCase();
    return subtag.toLowerCase();
  });
  return [language!.toLowerCase(), ...cased].join('-');
}

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
