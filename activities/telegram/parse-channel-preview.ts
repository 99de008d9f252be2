import {
  PageTooComplexError,
  parseHtmlDocument,
  type LightDocument,
  type LightElement,
} from '../articles/light-dom.js';
import { toIsoDate } from '../feeds/entries-to-items.js';
import { messageText } from './message-text.js';

/** Posts link here whatever host served the preview, so items carry the addresses people share. */
export const TELEGRAM_ORIGIN = 'https://t.me';

/** One post of a channel as its web preview shows it. */
export interface ChannelPost {
  /** The post's number in its channel; larger is newer. */
  id: number;
  /** The channel's username as the page spells it. */
  channel: string;
  /** `https://t.me/<channel>/<id>`. */
  url: string;
  /** Plain text with its line breaks; null for a post with only media. */
  text: string | null;
  publishedAt: string | null;
  /** The channel or person a forwarded post comes from. */
  forwardedFrom: string | null;
  /** Who the post is by: the forwarded-from name, else the channel's title. */
  author: string | null;
  /** Photos, videos, voice notes and files, absolute, in page order, each once. */
  mediaUrls: string[];
  /** Where the post's link preview card points, if it has one. */
  linkPreviewUrl: string | null;
}

/** One page of a channel's web preview (t.me/s/<channel>). */
export interface ChannelPreviewPage {
  /** The channel's title (its display name), when the page shows it. */
  title: string | null;
  /** In page order, which is oldest first; service messages (channel created, photo changed) left out. */
  posts: ChannelPost[];
  /** The `before` cursor of the next older page, null on the oldest page. */
  before: number | null;
}

/** The page is not a channel's preview: no such channel, a private one, or its preview is turned off. */
export class NotAChannelPreviewError extends Error {
  override readonly name = 'NotAChannelPreviewError';
}

const POST_REFERENCE = /^([A-Za-z0-9_]+)\/(\d+)$/;
const BACKGROUND_IMAGE = /background-image\s*:\s*url\(\s*(['"]?)(.+?)\1\s*\)/i;
// Parts of a post that show another message or page: their pictures and text are not the post's own.
const QUOTED_PARTS = '.tgme_widget_message_reply, .tgme_widget_message_link_preview';

const collapse = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

/**
 * Reads the server-rendered preview of a public channel. t.me sends the channel's plain landing page
 * instead (no message history) when the channel does not exist, is private or hides its preview; that
 * is refused with NotAChannelPreviewError rather than read as an empty channel.
 */
export function parseChannelPreview(html: string): ChannelPreviewPage {
  let document: LightDocument;
  try {
    document = parseHtmlDocument(html);
  } catch (error) {
    // A real preview is shallow and small; a page beyond the parser's limits is not one.
    if (error instanceof PageTooComplexError) throw new NotAChannelPreviewError(error.message);
    throw error;
  }
  const history = document.querySelector('.tgme_channel_history');
  if (!history)
    throw new NotAChannelPreviewError('the page shows no message history, so it is not a public channel preview');
  const title =
    collapse(document.querySelector('.tgme_channel_info_header_title')?.textContent) ||
    collapse(document.querySelector('meta[property="og:title"]')?.getAttribute('content')) ||
    null;
  const posts: ChannelPost[] = [];
  let oldest: number | null = null;
  for (const message of history.querySelectorAll('.tgme_widget_message[data-post]')) {
    const reference = POST_REFERENCE.exec(message.getAttribute('data-post') ?? '');
    if (!reference?.[1] || !reference[2]) continue;
    const id = Number(reference[2]);
    oldest = oldest === null ? id : Math.min(oldest, id);
    if (hasClass(message, 'service_message')) continue;
    posts.push(readPost(message, reference[1], id, title));
  }
  return { title, posts, before: olderPageCursor(document, oldest) };
}

function readPost(message: LightElement, channel: string, id: number, channelTitle: string | null): ChannelPost {
  const url = `${TELEGRAM_ORIGIN}/${channel}/${id}`;
  const textElement = ownParts(message, '.tgme_widget_message_text')[0];
  const forwardedFrom =
    collapse(message.querySelector('.tgme_widget_message_forwarded_from_name')?.textContent) || null;
  const ownerName = collapse(message.querySelector('.tgme_widget_message_owner_name')?.textContent) || null;
  return {
    id,
    channel,
    url,
    text: (textElement && messageText(textElement)) || null,
    publishedAt: toIsoDate(
      message.querySelector('.tgme_widget_message_date time[datetime]')?.getAttribute('datetime') ?? null,
    ),
    forwardedFrom,
    author: forwardedFrom ?? ownerName ?? channelTitle,
    mediaUrls: mediaUrls(message, url),
    linkPreviewUrl: absoluteUrl(message.querySelector('a.tgme_widget_message_link_preview')?.getAttribute('href')),
  };
}

function mediaUrls(message: LightElement, postUrl: string): string[] {
  const found = new Set<string>();
  const add = (raw: string | null | undefined) => {
    const url = absoluteUrl(raw);
    // A file's link in the preview is usually the post itself, which says nothing the item does not.
    if (url && url !== postUrl) found.add(url);
  };
  for (const photo of ownParts(message, '.tgme_widget_message_photo_wrap')) add(backgroundImage(photo));
  for (const player of ownParts(message, '.tgme_widget_message_video_player, .tgme_widget_message_roundvideo_player')) {
    const source = player.querySelector('video[src]')?.getAttribute('src');
    // Videos too large for the preview come without a source; their still frame is what can be kept.
    add(
      source ??
        backgroundImage(
          player.querySelector('.tgme_widget_message_video_thumb, .tgme_widget_message_roundvideo_thumb'),
        ),
    );
  }
  for (const media of ownParts(message, 'video[src], audio[src]')) add(media.getAttribute('src'));
  for (const document of ownParts(message, 'a.tgme_widget_message_document_wrap[href]'))
    add(document.getAttribute('href'));
  return [...found];
}

/** Elements of the post itself, not of a quoted reply or a link preview card inside it. */
function ownParts(message: LightElement, selector: string): LightElement[] {
  return Array.from(message.querySelectorAll(selector)).filter((element) => element.closest(QUOTED_PARTS) === null);
}

function olderPageCursor(document: LightDocument, oldest: number | null): number | null {
  // The same class marks the link to newer posts (data-after) on older pages; only `before` goes back.
  for (const more of document.querySelectorAll('.tme_messages_more')) {
    const before = more.getAttribute('data-before') ?? beforeParameter(more.getAttribute('href'));
    if (before === null) continue;
    const cursor = Number(before);
    return Number.isSafeInteger(cursor) && cursor > 0 ? cursor : oldest;
  }
  return null;
}

function beforeParameter(href: string | null): string | null {
  if (!href) return null;
  try {
    return new URL(href, TELEGRAM_ORIGIN).searchParams.get('before');
  } catch {
    return null;
  }
}

function backgroundImage(element: LightElement | null): string | null {
  return BACKGROUND_IMAGE.exec(element?.getAttribute('style') ?? '')?.[2] ?? null;
}

function absoluteUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw.trim(), TELEGRAM_ORIGIN);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

function hasClass(element: LightElement, name: string): boolean {
  return (element.getAttribute('class') ?? '').split(/\s+/).includes(name);
}
