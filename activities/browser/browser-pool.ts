import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Logger } from 'pino';
import { AddressGuard } from '../http/address-guard.js';
import { guardContext, type ContextRefusals } from './request-guard.js';

export interface BrowserSettings {
  /** Debian's chromium; the project installs it, nothing downloads a browser of its own. */
  executablePath: string;
  /** Pages open at once across all activities of the worker. @default 4 */
  maxOpenPages?: number;
  userAgent: string;
  /** Private hosts pages may reach, as `host` or `host:port` (HTTP_ALLOWED_PRIVATE_HOSTS, shared with the HTTP client). @default [] */
  allowedPrivateHosts?: readonly string[];
}

/** Thrown when a browser task runs on a worker that has no browser configured. */
export class NoBrowserError extends Error {
  override readonly name = 'NoBrowserError';
}

/**
 * One Chromium per worker, started on first use and restarted if it dies; a fresh context per activity
 * (no cookies or storage shared between streams); a cap on open pages. Cancellation closes the
 * activity's context at once, which aborts whatever the page was doing; every exit path closes it.
 */
export class BrowserPool {
  private browser: Promise<Browser> | undefined;
  private openPages = 0;
  private readonly waiting: Array<() => void> = [];
  private closed = false;
  private readonly guard: AddressGuard;

  constructor(
    private readonly settings: BrowserSettings,
    private readonly logger?: Logger,
  ) {
    this.guard = new AddressGuard(settings.allowedPrivateHosts ?? []);
  }

  async withPage<T>(signal: AbortSignal, use: (page: Page) => Promise<T>): Promise<T> {
    await this.acquireSlot(signal);
    let context: BrowserContext | undefined;
    let refusals: ContextRefusals | undefined;
    const onAbort = () => void context?.close().catch(() => undefined);
    try {
      const browser = await this.launch();
      // Service workers blocked: their requests would bypass the context's routes, so the guard.
      context = await browser.newContext({
        userAgent: this.settings.userAgent,
        viewport: { width: 1280, height: 720 },
        javaScriptEnabled: true,
        serviceWorkers: 'block',
      });
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) throw signal.reason;
      refusals = await guardContext(context, this.guard, this.logger);
      const page = await context.newPage();
      return await use(page);
    } catch (error) {
      // Playwright reports a closed context as "Target closed"; the cancellation is the real story.
      if (signal.aborted) throw signal.reason;
      // A navigation the guard aborted fails as Chromium's net::ERR_BLOCKED_BY_CLIENT: say which rule, and do not retry.
      if (refusals?.refusedNavigation && error instanceof Error && /ERR_BLOCKED_BY_CLIENT/.test(error.message))
        throw refusals.refusedNavigation;
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      await context?.close().catch(() => undefined);
      this.releaseSlot();
    }
  }

  /** Pages currently open; for tests and metrics. */
  get activePages(): number {
    return this.openPages;
  }

  async close(): Promise<void> {
    this.closed = true;
    const browser = await this.browser?.catch(() => undefined);
    this.browser = undefined;
    await browser?.close().catch(() => undefined);
  }

  private launch(): Promise<Browser> {
    if (this.closed) throw new NoBrowserError('the browser pool is closed (the worker is shutting down)');
    // Loaded on the first browser task, not at start: Playwright costs a worker ~100 MB of memory that
    // workers running no browser task never need.
    this.browser ??= import('playwright-core')
      .then(({ chromium }) =>
        chromium.launch({
          executablePath: this.settings.executablePath,
          headless: true,
          // No sandbox as root in a container; no background traffic to Google on a closed network.
          args: [
            '--no-sandbox',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--no-first-run',
          ],
        }),
      )
      .then((browser) => {
        browser.on('disconnected', () => {
          this.logger?.warn({ component: 'browser' }, 'chromium disconnected; the next page starts a new one');
          this.browser = undefined;
        });
        return browser;
      })
      .catch((error: unknown) => {
        this.browser = undefined;
        throw new NoBrowserError(
          `could not start chromium at ${this.settings.executablePath}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    return this.browser;
  }

  private async acquireSlot(signal: AbortSignal): Promise<void> {
    const limit = this.settings.maxOpenPages ?? 4;
    while (this.openPages >= limit) {
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          this.waiting.splice(this.waiting.indexOf(wake), 1);
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(wake);
      });
    }
    this.openPages += 1;
  }

  private releaseSlot(): void {
    this.openPages -= 1;
    this.waiting.shift()?.();
  }
}
