import robotsParserModule from 'robots-parser';

// robots-parser is CommonJS whose typings declare an ES default export; at runtime the default import
// is module.exports, the parser function itself.
type RobotsParser = (url: string, contents: string) => { isAllowed(url: string, userAgent?: string): boolean | undefined };
const robotsParser = robotsParserModule as unknown as RobotsParser;
type Robots = ReturnType<RobotsParser>;

/** How long a host's robots.txt is trusted before it is fetched again. */
export const ROBOTS_TTL_MS = 60 * 60 * 1000;

/**
 * robots.txt per origin, fetched once and shared by every activity of a worker. A robots.txt that is
 * missing (4xx) or cannot be read (5xx, network) allows everything: a flaky robots endpoint must not
 * stop collection, and the failure is the loader's to log.
 */
export class RobotsCache {
  private readonly entries = new Map<string, { loadedAt: number; robots: Promise<Robots | null> }>();

  constructor(
    private readonly load: (robotsUrl: string, signal: AbortSignal) => Promise<string | null>,
    private readonly ttlMs = ROBOTS_TTL_MS,
  ) {}

  async isAllowed(url: string, userAgent: string, signal: AbortSignal): Promise<boolean> {
    const { origin } = new URL(url);
    let entry = this.entries.get(origin);
    if (!entry || Date.now() - entry.loadedAt > this.ttlMs) {
      const robotsUrl = `${origin}/robots.txt`;
      entry = { loadedAt: Date.now(), robots: this.load(robotsUrl, signal).then((body) => (body === null ? null : robotsParser(robotsUrl, body))) };
      this.entries.set(origin, entry);
      // A load that fails (e.g. cancelled) must not poison the cache for the next run.
      entry.robots.catch(() => this.entries.delete(origin));
    }
    const robots = await entry.robots;
    return robots?.isAllowed(url, userAgent) ?? true;
  }
}
