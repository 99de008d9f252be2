import { parentPort } from 'node:worker_threads';
import { ALL_FEATURES } from './read-article.js';
import { extractArticle } from './extract-article.js';
import { SiteMemory } from './site-memory.js';
import type { ExtractionRequest, ExtractionAnswer } from './extract-article-off-thread.js';

// What this thread has read of each site, so furniture repeated across a site's pages is dropped.
const siteMemory = new SiteMemory();

// One extraction per message; the pool sends the next only after this one answered.
parentPort!.on('message', ({ html, pageUrl, selectors, nextSelector }: ExtractionRequest) => {
  let answer: ExtractionAnswer;
  try {
    answer = { ok: true, page: extractArticle(html, pageUrl, selectors, nextSelector, ALL_FEATURES, siteMemory) };
  } catch (error) {
    answer = {
      ok: false,
      name: error instanceof Error ? error.name : 'Error',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  parentPort!.postMessage(answer);
});
