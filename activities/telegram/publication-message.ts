import { renderTemplate } from '../../schemas/text-template.js';
import { cutAtWord } from '../text/cut-at-word.js';

/** Telegram's limit for one message's text, after its HTML markup is parsed away. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;
const TITLE_LIMIT = 256;
/** An excerpt shorter than this says nothing; leave it out. */
const MIN_EXCERPT = 20;

export interface PublishableItem {
  url: string;
  title: string | null;
  summary: string | null;
  text: string | null;
}

/** Text made safe for Telegram's HTML parse mode, which knows only these four entities. */
export function escapeTelegramHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * An item as a Telegram post: its title in bold, an excerpt of its summary (or text), its link on the
 * last line. The excerpt leaves out a title it merely repeats (a channel post's title is its first
 * line) and shrinks so the whole message stays inside Telegram's limit however long the link.
 */
export function publicationMessage(item: PublishableItem, excerptLength: number): string {
  const title = cutAtWord(oneLine(item.title ?? '') || item.url, TITLE_LIMIT);
  let body = oneLine(item.summary ?? '') || oneLine(item.text ?? '');
  const plainTitle = oneLine(item.title ?? '');
  if (plainTitle && body.startsWith(plainTitle)) body = body.slice(plainTitle.length).replace(/^[\s:.,;!?–—-]+/, '');
  // Visible characters only: markup does not count towards the limit. Blank lines and "…" need a few.
  const room = TELEGRAM_MESSAGE_LIMIT - Array.from(title).length - Array.from(item.url).length - 8;
  const budget = Math.min(excerptLength, room);
  const excerpt = budget >= MIN_EXCERPT && body ? cutAtWord(body, budget) : '';
  const parts = [`<b>${escapeTelegramHtml(title)}</b>`];
  if (excerpt) parts.push(escapeTelegramHtml(excerpt));
  parts.push(escapeTelegramHtml(item.url));
  return parts.join('\n\n');
}

export interface PublishableDoc {
  title: string;
  text: string;
  url: string | null;
  googleDocUrl: string | null;
}

/** A doc as a Telegram post: bold title, its text (shortened only to fit), its link, its Google Doc. */
export function docMessage(doc: PublishableDoc, withGoogleDocLink: boolean): string {
  const title = cutAtWord(oneLine(doc.title) || 'Untitled', TITLE_LIMIT);
  const tail = [doc.url, withGoogleDocLink && doc.googleDocUrl ? `Google Doc: ${doc.googleDocUrl}` : null].filter(
    (line): line is string => Boolean(line),
  );
  const room =
    TELEGRAM_MESSAGE_LIMIT -
    Array.from(title).length -
    tail.reduce((total, line) => total + Array.from(line).length + 2, 0) -
    4;
  const text = doc.text.trim();
  const body = room >= MIN_EXCERPT && text ? cutAtWord(text, room) : '';
  return [
    `<b>${escapeTelegramHtml(title)}</b>`,
    ...(body ? [escapeTelegramHtml(body)] : []),
    ...tail.map(escapeTelegramHtml),
  ].join('\n\n');
}

/** Characters Telegram counts in an HTML message: tags are markup, an entity is one character. */
export function visibleLength(html: string): number {
  return Array.from(html.replace(/<[^>]*>/g, '').replace(/&(?:amp|lt|gt|quot);/g, '_')).length;
}

/**
 * A doc's message from a stream's template (Telegram HTML; every value escaped). `{text}` is shortened
 * to whatever room the rest of the message leaves inside Telegram's limit.
 */
export function templatedDocMessage(template: string, doc: PublishableDoc): string {
  const values = {
    title: escapeTelegramHtml(doc.title),
    google_doc_link: escapeTelegramHtml(doc.googleDocUrl ?? ''),
    url: escapeTelegramHtml(doc.url ?? ''),
  };
  const textSlots = Math.max(1, template.split('{text}').length - 1);
  const room = Math.floor(
    (TELEGRAM_MESSAGE_LIMIT - visibleLength(renderTemplate(template, { ...values, text: '' })) - 4) / textSlots,
  );
  const text = room >= MIN_EXCERPT ? cutAtWord(doc.text.trim(), room) : '';
  return renderTemplate(template, { ...values, text: escapeTelegramHtml(text) });
}
