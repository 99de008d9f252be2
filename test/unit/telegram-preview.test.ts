import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  NotAChannelPreviewError,
  parseChannelPreview,
  type ChannelPost,
} from '../../activities/telegram/parse-channel-preview.js';
import { postToItem } from '../../activities/telegram/posts-to-items.js';
import { cutAtWord } from '../../activities/text/cut-at-word.js';
import { telegramChannelConfigSchema, telegramUsername } from '../../schemas/tasks/telegram-channel.js';
import { toFieldIssues } from '../../schemas/validation.js';
import { readFixtureText } from '../helpers/fixtures.js';

const newest = parseChannelPreview(readFixtureText('telegram/harbour-news.html'));
const older = parseChannelPreview(readFixtureText('telegram/harbour-news-before-121.html'));
const post = (id: number): ChannelPost => {
  const found = [...newest.posts, ...older.posts].find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no post ${id} in the fixtures`);
  return found;
};

/** A preview page around the given messages, for shapes the fixtures do not show. */
const previewPage = (messages: string) =>
  `<html><body><section class="tgme_channel_history js-message_history">${messages}</section></body></html>`;

describe('parsing a channel preview page', () => {
  it('reads every post of the page in page order, without service messages, with the cursor to the older page', () => {
    expect(newest.title).toBe('Harbour News 🌊');
    // 130 is "Channel photo updated"; 135 is the second photo of the album shown as 134.
    expect(newest.posts.map((found) => found.id)).toEqual([
      121, 122, 123, 124, 125, 126, 127, 128, 129, 131, 132, 133, 134, 136, 137, 138, 139, 140,
    ]);
    expect(newest.before).toBe(121);
    expect(post(140)).toMatchObject({ channel: 'harbour_news', url: 'https://t.me/harbour_news/140' });
  });

  it('has no older page on the oldest one, although it links to newer posts', () => {
    expect(older.posts.map((found) => found.id)).toEqual([
      102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120,
    ]);
    expect(older.before).toBeNull();
  });

  it('keeps line breaks, decodes entities and keeps emoji and Cyrillic as written', () => {
    expect(post(139).text).toBe(
      'Ferry timetable changes\nFrom Monday the 07:15 crossing leaves at 07:05.\nDetails: port.example.test/timetable',
    );
    expect(post(140).text).toBe('🌅 Sunrise over the outer harbour this morning\nPhoto: Mara Lindqvist');
    expect(post(136).text).toBe(
      'Q&A with the harbour master: "Why are the ferries late?" – it\'s the tide <and> the fog & the crane.',
    );
    expect(post(132).text).toBe(
      'Перевозчик «Северный» возобновляет рейсы с понедельника.\nРасписание — на сайте порта: port.example.test/ru',
    );
    expect(post(131).text).toMatch(/before the evening high tide\n\nThe coastguard expects/);
    expect(post(125).text).toBeNull();
  });

  it('reads the post time as ISO 8601 in UTC', () => {
    expect(post(140).publishedAt).toBe('2026-11-19T12:33:20.000Z');
    expect(post(102).publishedAt).toBe('2026-11-18T06:47:06.000Z');
  });

  it("collects photos, album photos and video sources, not link preview pictures or the post's own link", () => {
    expect(post(140).mediaUrls).toEqual([
      'https://cdn4.telesco.pe/file/hn140-q2Xr8sLkT0bWm4aYc1PzV7uJdE9fGhN3oKiB6tR5wQeS.jpg',
    ]);
    expect(post(134).mediaUrls).toEqual([
      'https://cdn4.telesco.pe/file/hn1341-q2Xr8sLkT0bWm4aYc1PzV7uJdE9fGhN3oKiB6tR5wQeS.jpg',
      'https://cdn4.telesco.pe/file/hn1342-q2Xr8sLkT0bWm4aYc1PzV7uJdE9fGhN3oKiB6tR5wQeS.jpg',
    ]);
    expect(post(138).mediaUrls).toEqual(['https://cdn4.telesco.pe/file/hn138-ferry-ramp.mp4?token=AbC123']);
    expect(post(133)).toMatchObject({ mediaUrls: [], linkPreviewUrl: 'https://gazette.example.test/2026/11/oysters' });
    // The preview links a file to the post itself.
    expect(post(128).mediaUrls).toEqual([]);
  });

  it("keeps a video's still frame when the preview gives no source, and a file linked elsewhere", () => {
    const page = parseChannelPreview(
      previewPage(`
        <div class="tgme_widget_message js-widget_message" data-post="harbour_news/7">
          <a class="tgme_widget_message_video_player not_supported" href="https://t.me/harbour_news/7">
            <i class="tgme_widget_message_video_thumb" style="background-image:url(&quot;//cdn4.telesco.pe/file/big-video.jpg&quot;)"></i>
          </a>
          <a class="tgme_widget_message_document_wrap" href="https://files.example.test/timetable.pdf"></a>
          <audio class="tgme_widget_message_voice" src="https://cdn4.telesco.pe/file/voice.ogg"></audio>
        </div>`),
    );
    expect(page.posts[0]?.mediaUrls).toEqual([
      'https://cdn4.telesco.pe/file/big-video.jpg',
      'https://cdn4.telesco.pe/file/voice.ogg',
      'https://files.example.test/timetable.pdf',
    ]);
  });

  it('names the source of a forwarded post as its author, the channel otherwise', () => {
    expect(post(137)).toMatchObject({ forwardedFrom: 'Coastguard Bay', author: 'Coastguard Bay' });
    expect(post(115)).toMatchObject({ forwardedFrom: 'Ines Moreau', author: 'Ines Moreau' });
    expect(post(139)).toMatchObject({ forwardedFrom: null, author: 'Harbour News 🌊' });
  });

  it("takes the older page's cursor from the link when it has no data-before", () => {
    const page = parseChannelPreview(
      previewPage(`<a href="/s/harbour_news?before=41" class="tme_messages_more js-messages_more"></a>
        <div class="tgme_widget_message" data-post="harbour_news/41"><div class="tgme_widget_message_text">Hello</div></div>`),
    );
    expect(page.before).toBe(41);
    expect(page.posts[0]).toMatchObject({ id: 41, text: 'Hello', publishedAt: null, author: null, mediaUrls: [] });
  });

  it('reads a channel without posts as an empty page', () => {
    expect(parseChannelPreview(previewPage(''))).toEqual({ title: null, posts: [], before: null });
  });

  it('refuses a page that is not a channel preview', () => {
    expect(() => parseChannelPreview(readFixtureText('telegram/not-a-preview.html'))).toThrow(NotAChannelPreviewError);
  });
});

describe('posts as items', () => {
  it('titles a post with its first line, cut at a word, and keeps the whole text', () => {
    const item = postToItem(post(131), true);
    expect(item.title).toBe(
      'Storm Ingrid update: all ferry crossings after 14:00 are cancelled, the outer breakwater is closed to walkers and the…',
    );
    expect(Array.from(item.title ?? '').length).toBeLessThanOrEqual(120);
    expect(item.summary?.length).toBeLessThanOrEqual(300);
    expect(item.summary).toMatch(/^Storm Ingrid update: .* high tide The coastguard expects .*…$/);
    expect(item.text).toBe(post(131).text);
    expect(item).toMatchObject({
      url: 'https://t.me/harbour_news/131',
      canonicalUrl: 'https://t.me/harbour_news/131',
      publishedAt: '2026-11-19T05:30:23.000Z',
      author: 'Harbour News 🌊',
    });
    expect(item.mediaUrls).toBeUndefined();
  });

  it('gives a post with only a photo no title, and its media only when asked', () => {
    expect(postToItem(post(125), true)).toMatchObject({
      title: null,
      summary: null,
      text: null,
      mediaUrls: [expect.stringContaining('hn125-')],
    });
    expect(postToItem(post(125), false).mediaUrls).toBeUndefined();
  });

  it('cuts text at a word boundary without splitting an emoji', () => {
    expect(cutAtWord('short enough', 20)).toBe('short enough');
    expect(cutAtWord('one two three four', 10)).toBe('one two…');
    expect(cutAtWord('one two three four', 8)).toBe('one two…');
    expect(cutAtWord('🌊🌊🌊🌊🌊🌊', 4)).toBe('🌊🌊🌊…');
  });
});

describe('the telegram_channel config', () => {
  const issuesOf = (value: unknown) => {
    const result = telegramChannelConfigSchema.safeParse(value);
    expect(result.success, 'the value should have been refused').toBe(false);
    return result.success ? [] : toFieldIssues(result.error, 'config');
  };

  it.each([
    '@harbour_news',
    'harbour_news',
    'https://t.me/harbour_news',
    'https://t.me/s/harbour_news',
    ' t.me/s/harbour_news/ ',
    'http://telegram.me/harbour_news?before=3',
    'https://t.me/harbour_news/140',
  ])('reads %j as the username', (channel) => {
    expect(telegramUsername.parse(channel)).toBe('harbour_news');
  });

  it("applies the defaults, and reads the old config's channel_id as channel", () => {
    const defaults = {
      channel: 'harbour_news',
      limit: 50,
      include_media: true,
      base_url: 'https://t.me',
      respect_robots_txt: true,
    };
    expect(telegramChannelConfigSchema.parse({ channel: '@harbour_news' })).toEqual(defaults);
    expect(
      telegramChannelConfigSchema.parse({
        channel_id: 'https://t.me/s/harbour_news',
        limit: 100,
        include_media: false,
      }),
    ).toEqual({ ...defaults, limit: 100, include_media: false });
  });

  it.each(['-1001234567890', -1001234567890])(
    'explains that a numeric chat id (%j) cannot address the preview',
    (channel) => {
      expect(issuesOf({ channel })).toEqual([
        { path: 'config.channel', message: expect.stringMatching(/numeric chat id.*username/) },
      ]);
      expect(issuesOf({ channel_id: channel })).toEqual([
        { path: 'config.channel', message: expect.stringMatching(/numeric chat id/) },
      ]);
    },
  );

  it.each(['news', 'a'.repeat(33), '1harbour', 'harbour-news', 'https://example.com/harbour_news', ''])(
    'refuses %j as a username',
    (channel) => {
      expect(issuesOf({ channel })).toEqual([
        { path: 'config.channel', message: expect.stringMatching(/username \(5–32 letters/) },
      ]);
    },
  );

  it('refuses an invite link, saying why', () => {
    expect(issuesOf({ channel: 'https://t.me/+AbCdEfGh123' })).toEqual([
      { path: 'config.channel', message: expect.stringMatching(/private chat/) },
    ]);
  });

  it('bounds limit to 1..100 and wants an http(s) base_url', () => {
    expect(issuesOf({ channel: 'harbour_news', limit: 0 }).map((issue) => issue.path)).toEqual(['config.limit']);
    expect(issuesOf({ channel: 'harbour_news', limit: 101 }).map((issue) => issue.path)).toEqual(['config.limit']);
    expect(issuesOf({ channel: 'harbour_news', base_url: 'ftp://t.me' }).map((issue) => issue.path)).toEqual([
      'config.base_url',
    ]);
  });

  it('refuses channel and channel_id together, and unknown keys', () => {
    expect(issuesOf({ channel: 'harbour_news', channel_id: 'other_news' })).toEqual([
      { path: 'config', message: expect.stringContaining('channel_id') },
    ]);
    expect(issuesOf({ channel: 'harbour_news', max_items: 5 })).toEqual([
      { path: 'config', message: expect.stringContaining('max_items') },
    ]);
  });

  it('publishes channel as a required string in its JSON Schema', () => {
    const schema = z.toJSONSchema(telegramChannelConfigSchema, { io: 'input' }) as {
      properties: Record<string, { type?: string }>;
      required: string[];
    };
    expect(schema.required).toEqual(['channel']);
    expect(schema.properties.channel?.type).toBe('string');
    expect(Object.keys(schema.properties)).not.toContain('channel_id');
  });
});
