import { describe, expect, it } from 'vitest';
import { ArticleNotFoundError, extractArticle } from '../../activities/articles/extract-article.js';
import { webArticleConfigSchema } from '../../schemas/tasks/web-article.js';
import { readFixtureText } from '../helpers/fixtures.js';

const harbourSelectors = {
  title: 'h1.headline',
  content: '.story-body p',
  author: '.byline .author',
  published: 'time.published',
};
const harbourPage = 'https://gazette.example.test/2026/11/24/harbour-dredging';

describe('article extraction', () => {
  it('reads exactly where the selectors point, leaving out what sits between the paragraphs', () => {
    const page = extractArticle(
      readFixtureText('pages/articles/harbour-story-page-1.html'),
      harbourPage,
      harbourSelectors,
      'a.next-page',
    );
    expect(page).toEqual({
      title: 'Harbour dredging to start in January',
      author: 'Mara Lindqvist',
      publishedAt: '2026-11-24T05:30:00.000Z',
      text: [
        'The port authority confirmed on Monday that dredging of the inner harbour will begin in the second week of January.',
        'Work is expected to last eleven weeks, during which the ferry berth will move to the north quay.',
        'Fishing boats keep their moorings, the authority said, but may need to shift for a day at a time.',
      ].join('\n\n'),
      image: null,
      language: 'en',
      canonicalUrl: 'https://gazette.example.test/2026/11/24/harbour-dredging?utm_source=homepage',
      nextUrl: 'https://gazette.example.test/2026/11/24/harbour-dredging/page/2',
    });
  });

  it('has no next page without a next selector, or when it matches nothing', () => {
    const html = readFixtureText('pages/articles/harbour-story-page-1.html');
    expect(extractArticle(html, harbourPage, harbourSelectors, undefined).nextUrl).toBeNull();
    expect(extractArticle(html, harbourPage, harbourSelectors, 'a.no-such-link').nextUrl).toBeNull();
  });

  it('falls back to the article:published_time meta when the selector has no date', () => {
    const page = extractArticle(
      readFixtureText('pages/articles/harbour-story-page-1.html'),
      harbourPage,
      { title: 'h1', content: '.story-body p' },
      undefined,
    );
    expect(page.publishedAt).toBe('2026-11-24T05:30:00.000Z');
    expect(page.author).toBeNull();
  });

  it('finds the article by readability when no selectors are given, without menus, sidebars or banners', () => {
    const page = extractArticle(
      readFixtureText('pages/articles/ferry-timetable-readability.html'),
      'https://courier.example.test/n/123',
      undefined,
      undefined,
    );
    expect(page.title).toBe('Winter ferry timetable cuts evening crossings');
    expect(page.author).toBe('Jonas Berg');
    expect(page.publishedAt).toBe('2026-11-23T15:05:00.000Z');
    expect(page.canonicalUrl).toBe('https://courier.example.test/news/2026/11/winter-ferry-timetable');
    expect(page.text).toContain('The ferry operator will drop the last two evening crossings');
    expect(page.text).toContain('the first departure at 05:50 on weekdays');
    for (const noise of ['Most read', 'We use cookies', 'Privacy', 'dataLayer']) expect(page.text).not.toContain(noise);
  });

  it('refuses a page with no article instead of saving an empty one', () => {
    const shell = readFixtureText('pages/articles/empty-shell.html');
    expect(() => extractArticle(shell, 'https://app.example.test/', undefined, undefined)).toThrow(
      ArticleNotFoundError,
    );
    expect(() =>
      extractArticle(shell, 'https://app.example.test/', { title: 'h1', content: 'article p' }, undefined),
    ).toThrow(/selectors\.title \(h1\)/);
  });

  it('config: selectors need title and content, pagination is bounded', () => {
    const missingContent = webArticleConfigSchema.safeParse({
      base_url: 'https://a.test/x',
      selectors: { title: 'h1' },
    });
    expect(missingContent.success).toBe(false);
    expect(missingContent.error?.issues[0]?.path).toEqual(['selectors', 'content']);
    expect(
      webArticleConfigSchema.safeParse({
        base_url: 'https://a.test/x',
        pagination: { next_selector: 'a', max_pages: 21 },
      }).success,
    ).toBe(false);
    expect(
      webArticleConfigSchema.parse({ base_url: 'https://a.test/x', pagination: { next_selector: 'a.next' } }).pagination
        ?.max_pages,
    ).toBe(5);
  });
});
