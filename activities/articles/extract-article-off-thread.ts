import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ArticleNotFoundError, type ArticlePage, type extractArticle } from './extract-article.js';
import { PageTooComplexError } from './light-dom.js';

export interface ExtractionRequest {
  html: string;
  pageUrl: string;
  selectors: Parameters<typeof extractArticle>[2];
  nextSelector: string | undefined;
}

export type ExtractionAnswer = { ok: true; page: ArticlePage } | { ok: false; name: string; message: string };

/**
 * Longest one page may take to read. Readability on a page inside the depth and element limits takes
 * a few seconds at worst; past this the thread is ended and the page refused.
 */
export const EXTRACTION_DEADLINE_MS = 20_000;
/** Threads kept per worker process: extraction is CPU work, more threads than cores only queue. */
const POOL_SIZE = Math.max(1, Math.min(2, availableParallelism() - 1));
// A parse of a page under MAX_HTML_CHARS needs a few hundred MB at most; a page that needs more is refused.
const THREAD_MEMORY_MB = 512;

interface Job extends ExtractionRequest {
  resolve(page: ArticlePage): void;
  reject(error: Error): void;
  signal: AbortSignal | undefined;
}

const idle: Worker[] = [];
let running = 0;
const queue: Job[] = [];

function startThread(): Worker {
  return new Worker(new URL('./extract-article-thread.mjs', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: THREAD_MEMORY_MB },
  });
}

/** Keeps a thread for the next page. An idle thread must not keep the process (or a test run) alive, nor crash it by dying. */
function park(thread: Worker): void {
  thread.removeAllListeners();
  thread.unref();
  const drop = () => {
    const at = idle.indexOf(thread);
    if (at !== -1) idle.splice(at, 1);
  };
  thread.once('error', drop);
  thread.once('exit', drop);
  idle.push(thread);
}

function toError(answer: Extract<ExtractionAnswer, { ok: false }>): Error {
  if (answer.name === 'ArticleNotFoundError') return new ArticleNotFoundError(answer.message);
  if (answer.name === 'PageTooComplexError') return new PageTooComplexError(answer.message);
  return new Error(answer.message);
}

function runNext(): void {
  if (running >= POOL_SIZE) return;
  const job = queue.shift();
  if (!job) return;
  running += 1;
  const thread = idle.pop() ?? startThread();
  thread.removeAllListeners();
  thread.ref();
  const settle = (keepThread: boolean, outcome: () => void) => {
    clearTimeout(deadline);
    job.signal?.removeEventListener('abort', onAbort);
    if (keepThread) park(thread);
    else {
      thread.removeAllListeners();
      void thread.terminate();
    }
    running -= 1;
    outcome();
    runNext();
  };
  const deadline = setTimeout(
    () =>
      settle(false, () =>
        job.reject(
          new PageTooComplexError(`page too complex to read: reading it took over ${EXTRACTION_DEADLINE_MS / 1000} s`),
        ),
      ),
    EXTRACTION_DEADLINE_MS,
  );
  const onAbort = () => settle(false, () => job.reject(abortReason(job.signal!)));
  job.signal?.addEventListener('abort', onAbort, { once: true });
  thread.once('message', (answer: ExtractionAnswer) =>
    settle(true, () => (answer.ok ? job.resolve(answer.page) : job.reject(toError(answer)))),
  );
  // The thread died: out of memory on a hostile page, most likely. The page is what failed, not the worker.
  thread.once('error', (error) =>
    settle(false, () => job.reject(new PageTooComplexError(`page too complex to read: ${error.message}`))),
  );
  thread.once('exit', (code) =>
    settle(false, () =>
      job.reject(new PageTooComplexError(`page too complex to read: the reading thread stopped (exit ${code})`)),
    ),
  );
  const request: ExtractionRequest = {
    html: job.html,
    pageUrl: job.pageUrl,
    selectors: job.selectors,
    nextSelector: job.nextSelector,
  };
  thread.postMessage(request);
}

/**
 * extractArticle in a worker thread, so the activity's event loop keeps heartbeating (and the API in
 * `npm start`'s single process keeps answering) while Readability works, and a page that would take
 * longer than the deadline ends its thread instead of freezing the worker. Failures are the same
 * typed errors as extractArticle's, plus PageTooComplexError for the deadline and a dead thread.
 */
export function extractArticleOffThread(
  html: string,
  pageUrl: string,
  selectors: ExtractionRequest['selectors'],
  nextSelector: string | undefined,
  signal?: AbortSignal,
): Promise<ArticlePage> {
  return new Promise((resolve, reject) => {
    const job: Job = { html, pageUrl, selectors, nextSelector, resolve, reject, signal };
    queue.push(job);
    // Cancelled while waiting for a thread: leave the queue at once.
    signal?.addEventListener(
      'abort',
      () => {
        const waiting = queue.indexOf(job);
        if (waiting === -1) return;
        queue.splice(waiting, 1);
        reject(abortReason(signal));
      },
      { once: true },
    );
    runNext();
  });
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('cancelled');
}

// Starting a thread (tsx, linkedom, Readability) takes a moment; the first page should not wait for it.
park(startThread());
