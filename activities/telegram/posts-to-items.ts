import type { CollectedItem } from '../../schemas/stream-run.js';
import { canonicalizeUrl } from '../canonical-url.js';
import { cutAtWord } from '../text/cut-at-word.js';
import type { ChannelPost } from './parse-channel-preview.js';

const TITLE_LENGTH = 120;
const SUMMARY_LENGTH = 300;

/**
 * A post as an item. Posts have no headline, so the title is the first line of the text, which is where
 * channels put theirs; the summary is the start of the text on one line; the text keeps its line breaks.
 */
export function postToItem(post: ChannelPost, includeMedia: boolean): CollectedItem {
  const firstLine = post.text?.split('\n').find((line) => line.trim() !== '') ?? null;
  return {
    url: post.url,
    canonicalUrl: canonicalizeUrl(post.url) ?? post.url,
    title: firstLine && cutAtWord(firstLine, TITLE_LENGTH),
    summary: post.text && cutAtWord(post.text.replace(/\s+/g, ' '), SUMMARY_LENGTH),
    text: post.text,
    author: post.author,
    publishedAt: post.publishedAt,
    ...(includeMedia && post.mediaUrls.length > 0 ? { mediaUrls: post.mediaUrls } : {}),
  };
}
