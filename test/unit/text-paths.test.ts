import { describe, expect, it } from 'vitest';
import { entriesToItems } from '../../activities/feeds/entries-to-items.js';
import { parseFeedDocument } from '../../activities/feeds/parse-feed.js';
import { parseDuckDuckGoNews } from '../../activities/search/duckduckgo-news.js';
import { parseGoogleWeb } from '../../activities/search/google-web.js';
import { parseChannelPreview } from '../../activities/telegram/parse-channel-preview.js';
import { readFixtureText } from '../helpers/fixtures.js';

// One sample of what went wrong in small ways on every path: an entity, an escaped entity, inline markup
// inside a word, and a block break between words. Each path must read it the same way.
const MARKUP = 'Caf&eacute; &amp;eacute; 650ft<sup>2</sup> <b>Bre</b>xit<br>next';
const TEXT = 'Café &eacute; 650ft2 Brexit next';

describe('every text path reads entities and inline markup alike', () => {
  it('feeds', () => {
    const escaped = MARKUP.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
    const feed = `<rss version="2.0"><channel><title>t</title><link>https://x.test/</link><item>
      <title>${escaped}</title><link>https://x.test/a</link></item></channel></rss>`;
    expect(entriesToItems(parseFeedDocument(feed), 'https://x.test/feed')[0]?.title).toBe(TEXT);
  });

  it('search result pages', () => {
    const page = `<html><body><div class="g"><a href="https://x.test/a"><h3>${MARKUP}</h3></a>
      <div class="VwiC3b">${MARKUP}</div></div></body></html>`;
    const [item] = parseGoogleWeb(page, 'https://www.google.test/search?q=x').items;
    expect(item?.title).toBe(TEXT);
    expect(item?.summary).toBe(TEXT);
  });

  it('search answers in JSON', () => {
    const body = JSON.stringify({ results: [{ url: 'https://x.test/a', title: MARKUP, excerpt: MARKUP }] });
    const [item] = parseDuckDuckGoNews(body, 'https://duckduckgo.test/news.js').items;
    expect(item?.title).toBe(TEXT);
    expect(item?.summary).toBe(TEXT);
  });

  it('Telegram previews, which keep <br> as a line break', () => {
    const html = readFixtureText('telegram/harbour-news-before-121.html').replace(
      'Welcome! Port, ferry and weather news for the bay, every morning and whenever something changes.',
      MARKUP,
    );
    const post = parseChannelPreview(html).posts.find((candidate) => candidate.text?.startsWith('Café'));
    expect(post?.text).toBe(TEXT.replace(' next', '\nnext'));
  });
});
