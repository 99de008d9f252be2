import { parentPort } from 'node:worker_threads';
import { extractArticle } from './extract-article.js';
import type { ExtractionRequest, ExtractionAnswer } from './extract-article-off-thread.js';

// One extraction per message; the pool sends the next only after this one answered.
parentPort!.on('message', ({ html, pageUrl, selectors, nextSelector }: ExtractionRequest) => {
  let answer: ExtractionAnswer;
  try {
    answer = { ok: true, page: extractArticle(html, pageUrl, selectors, nextSelector) };
  } catch (error) {
    answer = {
      ok: false,
      name: error instanceof Error ? error.name : 'Error',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  parentPort!.postMessage(answer);
});
