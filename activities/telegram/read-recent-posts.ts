import type { HttpClient } from '../http/http-client.js';
import { HTML_ACCEPT } from '../articles/extract-article.js';
import { FailureType } from '../../schemas/failure-types.js';
import { permanentFailure } from '../failures.js';
import { NotAChannelPreviewError, parseChannelPreview, type ChannelPost } from './parse-channel-preview.js';

export interface RecentPostsRequest {
  baseUrl: string;
  channel: string;
  /** Posts published before this instant (ms since the epoch) are left out, and older pages not read. */
  since: number;
  maxPages: number;
  timeoutMs: number;
  respectRobots: boolean;
  signal: AbortSignal;
}

export interface RecentPosts {
  /** Inside the window, newest first. */
  posts: ChannelPost[];
  /** Every post the pages showed, inside the window or not. */
  seen: number;
  pages: number;
}

const publishedAtMs = (post: ChannelPost) => (post.publishedAt ? Date.parse(post.publishedAt) : Number.NaN);

/**
 * Reads a channel's preview from its newest page back, page by page, while the pages still reach into
 * the window. Throws the fetch layer's failures, and a permanent MalformedBodyError for a channel without
 * a public preview; the caller decides what a failed channel means.
 */
export async function readRecentPosts(http: HttpClient, request: RecentPostsRequest): Promise<RecentPosts> {
  const previewUrl = `${request.baseUrl.replace(/\/+$/, '')}/s/${request.channel}`;
  const posts = new Map<number, ChannelPost>();
  let seen = 0;
  let pages = 0;
  let before: number | null = null;
  do {
    const url: string = before === null ? previewUrl : `${previewUrl}?before=${before}`;
    pages += 1;
    const response = await http.getText(url, request.signal, {
      accept: HTML_ACCEPT,
      respectRobots: request.respectRobots,
      timeoutMs: request.timeoutMs,
    });
    let page;
    try {
      page = parseChannelPreview(response.body);
    } catch (error) {
      if (!(error instanceof NotAChannelPreviewError)) throw error;
      throw permanentFailure(
        FailureType.MalformedBody,
        `${url}: not a public channel preview; "${request.channel}" does not exist, is private, or hides its web preview`,
        { url },
      );
    }
    seen += page.posts.length;
    let reachedOlder = page.posts.length === 0;
    for (const post of page.posts) {
      const at = publishedAtMs(post);
      if (at >= request.since) posts.set(post.id, post);
      else if (!Number.isNaN(at)) reachedOlder = true;
    }
    // Only a cursor that moves back in time leads to a new page; anything else would read a page again.
    const movesBack: boolean = page.before !== null && (before === null || page.before < before);
    before = !reachedOlder && movesBack ? page.before : null;
  } while (before !== null && pages < request.maxPages);
  return { posts: [...posts.values()].sort((a, b) => b.id - a.id), seen, pages };
}
