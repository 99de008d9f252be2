import { Context } from '@temporalio/activity';
import { FailureType } from '../../schemas/failure-types.js';
import { webArticleConfigSchema } from '../../schemas/tasks/web-article.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { ArticleNotFoundError, HTML_ACCEPT, type ArticlePage } from '../articles/extract-article.js';
import { contentLanguageTag } from '../articles/content-language.js';
import { extractArticleOffThread } from '../articles/extract-article-off-thread.js';
import { PageTooComplexError } from '../articles/light-dom.js';
import { canonicalizeUrl } from '../canonical-url.js';
import { permanentFailure, validationFailure } from '../failures.js';
import { keepHeartbeating } from '../heartbeat.js';
import { MAX_ARTICLE_TEXT } from '../text/limits.js';
import type { TaskActivityFactory } from './task-activity.js';

export const createWebArticleActivity: TaskActivityFactory = (deps) =>
  async function webArticle(rawConfig) {
    const parsed = webArticleConfigSchema.safeParse(rawConfig);
    if (!parsed.success) throw validationFailure(describeFieldIssues(toFieldIssues(parsed.error, 'config')));
    const config = parsed.data;
    const context = Context.current();
    let page = 0;
    const stopHeartbeating = keepHeartbeating(() => ({ page }));
    try {
      const texts: string[] = [];
      const visited = new Set<string>();
      let first: ArticlePage | undefined;
      let firstUrl = config.base_url;
      let firstContentLanguage: string | null = null;
      let next: string | null = config.base_url;
      const maxPages = config.pagination?.max_pages ?? 1;
      while (next && page < maxPages && !visited.has(next)) {
        visited.add(next);
        page += 1;
        const response = await deps.http.getText(next, context.cancellationSignal, {
          accept: HTML_ACCEPT,
          respectRobots: config.respect_robots_txt,
        });
        let extracted;
        try {
          extracted = await extractArticleOffThread(
            response.body,
            response.url,
            config.selectors,
            config.pagination?.next_selector,
            context.cancellationSignal,
          );
        } catch (error) {
          if (error instanceof ArticleNotFoundError || error instanceof PageTooComplexError)
            throw permanentFailure(FailureType.MalformedBody, `${response.url}: ${error.message}`, {
              url: response.url,
            });
          throw error;
        }
        if (!first) {
          first = extracted;
          firstUrl = response.url;
          firstContentLanguage = response.contentLanguage ?? null;
        }
        texts.push(extracted.text);
        next = extracted.nextUrl;
      }
      const article = first!;
      // A page's rel=canonical is a stranger's text: only an http(s) address of at most 8 KB replaces the page's own.
      const url = article.canonicalUrl && canonicalizeUrl(article.canonicalUrl) ? article.canonicalUrl : firstUrl;
      const canonicalUrl = canonicalizeUrl(url) ?? canonicalizeUrl(firstUrl)!;
      const text = texts.filter(Boolean).join('\n\n').slice(0, MAX_ARTICLE_TEXT);
      context.log.info('article extracted', {
        url: config.base_url,
        pages: page,
        characters: text.length,
        by: config.selectors ? 'selectors' : 'readability',
      });
      return {
        items: [
          {
            url,
            canonicalUrl,
            title: article.title,
            summary: text.slice(0, 300) || null,
            text,
            author: article.author,
            publishedAt: article.publishedAt,
            imageUrl: article.image,
            // The page's own word first; the server's header only when the page says nothing.
            language: article.language ?? contentLanguageTag(firstContentLanguage),
          },
        ],
        found: 1,
        attempt: context.info.attempt,
      };
    } finally {
      stopHeartbeating();
    }
  };
