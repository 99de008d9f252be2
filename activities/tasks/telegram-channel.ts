import { Context } from '@temporalio/activity';
import { FailureType } from '../../schemas/failure-types.js';
import { telegramChannelConfigSchema } from '../../schemas/tasks/telegram-channel.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { HTML_ACCEPT } from '../articles/extract-article.js';
import { permanentFailure, validationFailure } from '../failures.js';
import { keepHeartbeating } from '../heartbeat.js';
import {
  NotAChannelPreviewError,
  parseChannelPreview,
  type ChannelPost,
  type ChannelPreviewPage,
} from '../telegram/parse-channel-preview.js';
import { postToItem } from '../telegram/posts-to-items.js';
import type { TaskActivityFactory } from './task-activity.js';

/** A page holds about 20 posts, so 100 posts need 5; the rest is slack for pages thinned by service messages. */
export const MAX_PREVIEW_PAGES = 10;

export const createTelegramChannelActivity: TaskActivityFactory = (deps) =>
  async function telegramChannel(rawConfig) {
    const parsed = telegramChannelConfigSchema.safeParse(rawConfig);
    if (!parsed.success) throw validationFailure(describeFieldIssues(toFieldIssues(parsed.error, 'config')));
    const config = parsed.data;
    const context = Context.current();
    const previewUrl = `${config.base_url.replace(/\/+$/, '')}/s/${config.channel}`;
    const posts = new Map<number, ChannelPost>();
    let page = 0;
    const stopHeartbeating = keepHeartbeating(() => ({ page, messages: posts.size }));
    try {
      let before: number | null = null;
      do {
        const url: string = before === null ? previewUrl : `${previewUrl}?before=${before}`;
        page += 1;
        const response = await deps.http.getText(url, context.cancellationSignal, {
          accept: HTML_ACCEPT,
          respectRobots: config.respect_robots_txt,
        });
        let preview: ChannelPreviewPage;
        try {
          preview = parseChannelPreview(response.body);
        } catch (error) {
          if (!(error instanceof NotAChannelPreviewError)) throw error;
          const redirected = response.url === url ? '' : ` (redirected to ${response.url})`;
          throw permanentFailure(
            FailureType.MalformedBody,
            `${url}${redirected}: not a public channel preview; "${config.channel}" does not exist, is private, or has its web preview turned off`,
            { url, finalUrl: response.url },
          );
        }
        for (const post of preview.posts) if (!posts.has(post.id)) posts.set(post.id, post);
        // Only a cursor that moves back in time leads to a new page; anything else would read a page again.
        before = preview.before !== null && (before === null || preview.before < before) ? preview.before : null;
      } while (before !== null && posts.size < config.limit && page < MAX_PREVIEW_PAGES);

      const newestFirst = [...posts.values()].sort((a, b) => b.id - a.id).slice(0, config.limit);
      context.log.info('channel preview read', { channel: config.channel, pages: page, posts: posts.size });
      return {
        items: newestFirst.map((post) => postToItem(post, config.include_media)),
        found: posts.size,
        attempt: context.info.attempt,
      };
    } finally {
      stopHeartbeating();
    }
  };
