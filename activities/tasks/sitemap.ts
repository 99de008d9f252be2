import { Context } from '@temporalio/activity';
import type { CollectedItem, HttpValidator } from '../../schemas/stream-run.js';
import { FailureType } from '../../schemas/failure-types.js';
import { sitemapConfigSchema } from '../../schemas/tasks/sitemap.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { SkippedUrls, toItemUrl } from '../canonical-url.js';
import { permanentFailure, validationFailure } from '../failures.js';
import { keepHeartbeating } from '../heartbeat.js';
import { decodeBody } from '../http/decode-body.js';
import type { HttpClient } from '../http/http-client.js';
import { gunzipCapped, isGzip } from '../http/gunzip.js';
import { NotASitemapError, parseSitemapDocument, type ParsedSitemap } from '../sitemaps/parse-sitemap.js';
import type { TaskActivityFactory } from './task-activity.js';

const SITEMAP_ACCEPT = 'application/xml, text/xml;q=0.9, application/gzip;q=0.8, */*;q=0.5';

const newestFirst = (a: { lastmod: string | null }, b: { lastmod: string | null }) =>
  (Date.parse(b.lastmod ?? '') || 0) - (Date.parse(a.lastmod ?? '') || 0);

function toIso(value: string | null): string | null {
  const time = value ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/**
 * sitemap_news and sitemap_blog: reads a sitemap, or walks a sitemap index (newest child first, to
 * max_depth), until max_links links are collected. A child sitemap that is gone or broken is skipped
 * with a warning; the root failing fails the run, and a transient failure anywhere retries it. A
 * `<loc>` that is no http(s) URL, or longer than 8 KB, is skipped and counted: one warning per reason
 * names how many and the first, so one bad entry never sinks the run (it failed every retry before).
 *
 * Conditional GET applies to a root that is a plain sitemap: its ETag/Last-Modified are saved with the
 * items, and a 304 next time ends the run with nothing new. An index is always read, because sites
 * add links to its children without touching the index itself.
 */
export const createSitemapActivity: TaskActivityFactory = (deps) =>
  async function sitemap(rawConfig, runContext) {
    const parsedConfig = sitemapConfigSchema.safeParse(rawConfig);
    if (!parsedConfig.success)
      throw validationFailure(describeFieldIssues(toFieldIssues(parsedConfig.error, 'config')));
    const config = parsedConfig.data;
    const context = Context.current();
    const items: CollectedItem[] = [];
    const seen = new Set<string>();
    const skippedEntries = new SkippedUrls();
    const skippedSitemaps = new SkippedUrls();
    let found = 0;
    let current = config.sitemap_url;
    const stopHeartbeating = keepHeartbeating(() => ({ sitemap: current, collected: items.length }));
    try {
      const known =
        runContext && !runContext.dryRun
          ? await deps.findValidator?.(runContext.sourceId, config.sitemap_url)
          : undefined;
      const validators: HttpValidator[] = [];
      const queue: Array<{ url: string; depth: number }> = [{ url: config.sitemap_url, depth: 0 }];
      const visited = new Set<string>();
      while (queue.length > 0 && items.length < config.max_links) {
        const { url, depth } = queue.shift()!;
        if (visited.has(url)) continue;
        visited.add(url);
        current = url;
        let document: ParsedSitemap;
        try {
          const read = await readSitemap(
            deps.http,
            url,
            context.cancellationSignal,
            config.respect_robots_txt,
            depth === 0 ? known : undefined,
          );
          if (read.notModified) {
            context.log.info('sitemap not modified since the last saved run', { url });
            return { items: [], found: 0, attempt: context.info.attempt, notModified: true };
          }
          document = read.document;
          if (depth === 0 && document.kind === 'urlset' && (read.validator.etag || read.validator.lastModified))
            validators.push({ url, ...read.validator });
        } catch (error) {
          if (depth === 0 || !isPermanent(error)) throw error;
          context.log.warn('child sitemap skipped', {
            url,
            error: error instanceof Error ? error.message : String(error),
          });
          continue;
        }
        if (document.kind === 'index') {
          if (depth >= config.max_depth) {
            context.log.warn('sitemap index deeper than max_depth not followed', { url, depth });
            continue;
          }
          const children = [...document.sitemaps].sort(newestFirst).flatMap((child) => {
            const childUrl = toItemUrl(child.loc, url);
            if (!childUrl.ok) skippedSitemaps.note(child.loc, childUrl.reason);
            return childUrl.ok ? [{ url: childUrl.url, depth: depth + 1 }] : [];
          });
          queue.push(...(config.follow_next ? children : children.slice(0, 1)));
          continue;
        }
        for (const entry of document.entries) {
          found += 1;
          const entryUrl = toItemUrl(entry.loc, url);
          if (!entryUrl.ok) {
            skippedEntries.note(entry.loc, entryUrl.reason);
            continue;
          }
          const { url: absolute, canonicalUrl } = entryUrl;
          if (seen.has(canonicalUrl) || items.length >= config.max_links) continue;
          seen.add(canonicalUrl);
          items.push({
            url: absolute,
            canonicalUrl,
            title: entry.newsTitle,
            summary: null,
            author: null,
            publishedAt: toIso(entry.newsPublishedAt ?? entry.lastmod),
          });
        }
      }
      const warnings = [...skippedEntries.warnings('entries'), ...skippedSitemaps.warnings('child sitemaps')];
      context.log.info('sitemap read', {
        url: config.sitemap_url,
        sitemaps: visited.size,
        found,
        items: items.length,
        skipped: skippedEntries.count + skippedSitemaps.count,
      });
      return { items, found, attempt: context.info.attempt, validators, ...(warnings.length ? { warnings } : {}) };
    } finally {
      stopHeartbeating();
    }
  };

type SitemapRead =
  { notModified: true } | { notModified: false; document: ParsedSitemap; validator: Omit<HttpValidator, 'url'> };

async function readSitemap(
  http: HttpClient,
  url: string,
  signal: AbortSignal,
  respectRobots: boolean,
  validator: HttpValidator | undefined,
): Promise<SitemapRead> {
  const response = await http.getBody(url, signal, { accept: SITEMAP_ACCEPT, respectRobots, validator });
  if (response.status === 304) return { notModified: true };
  const bytes = isGzip(response.bytes) ? gunzipCapped(response.bytes, http.settings.maxBodyBytes, url) : response.bytes;
  try {
    const document = parseSitemapDocument(decodeBody(bytes, response.contentType));
    return { notModified: false, document, validator: { etag: response.etag, lastModified: response.lastModified } };
  } catch (error) {
    if (error instanceof NotASitemapError)
      throw permanentFailure(FailureType.MalformedBody, `${url}: ${error.message}`, { url });
    throw error;
  }
}

function isPermanent(error: unknown): boolean {
  return error instanceof Error && 'nonRetryable' in error && error.nonRetryable === true;
}
