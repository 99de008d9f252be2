import robotsParserModule from 'robots-parser';

// robots-parser is CommonJS whose typings declare an ES default export; at runtime the default import
// is module.exports, the parser function itself.
type RobotsParser = (
  url: string,
  contents: string,
) => { isAllowed(url: string, userAgent?: string): boolean | undefined };
const robotsParser = robotsParserModule as unknown as RobotsParser;
type Robots = ReturnType<RobotsParser>;

/** How long a host's robots.txt is trusted before it is fetched again. */
export const ROBOTS_TTL_MS = 60 * 60 * 1000;

/** How much of a robots.txt is read: Google's limit; what lies beyond is ignored, what was read is parsed. */
/** The longest a worker waits for another worker's robots.txt fetch before fetching it itself. */
export const ROBOTS_CLAIM_MAX_MS = 15_000;

/** How often a waiting worker looks for that answer. */
export const ROBOTS_CLAIM_POLL_MS = 100;

export const ROBOTS_MAX_BYTES = 500 * 1024;

/** Origins whose robots.txt is kept; the least recently used goes first. */
export const ROBOTS_MAX_ORIGINS = 512;

/** robots.txt text kept across all origins, in bytes (parsed rules grow with it): 32 MiB. */
export const ROBOTS_MAX_TOTAL_BYTES = 32 * 1024 * 1024;

interface Entry {
  loadedAt: number;
  robots: Promise<Robots | null>;
  /** Length of the robots.txt text, once loaded. */
  bytes: number;
}

/**
 * robots.txt per origin, fetched once and shared by every activity of a worker. A robots.txt that is
 * missing (4xx) or cannot be read (5xx, network) allows everything: a flaky robots endpoint must not
 * stop collection, and the failure is the loader's to log. Memory is bounded: an LRU over at most
 * `maxOrigins` origins and `maxTotalBytes` of robots text (each body is capped by the loader).
 */
export class RobotsCache {
  /** A Map iterates in insertion order: re-inserting on use keeps the least recently used first. */
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;

  constructor(
    private readonly load: (robotsUrl: string, signal: AbortSignal) => Promise<string | null>,
    private readonly ttlMs = ROBOTS_TTL_MS,
    private readonly limits: { maxOrigins: number; maxTotalBytes: number } = {
      maxOrigins: ROBOTS_MAX_ORIGINS,
      maxTotalBytes: ROBOTS_MAX_TOTAL_BYTES,
    },
  ) {}

  async isAllowed(url: string, userAgent: string, signal: AbortSignal): Promise<boolean> {
    const { origin } = new URL(url);
    let entry = this.entries.get(origin);
    if (entry && Date.now() - entry.loadedAt > this.ttlMs) {
      this.remove(origin, entry);
      entry = undefined;
    }
    if (entry) {
      this.entries.delete(origin);
      this.entries.set(origin, entry);
    } else {
      entry = this.add(origin, signal);
    }
    const robots = await entry.robots;
    return robots?.isAllowed(url, userAgent) ?? true;
  }

  /** Origins cached now; for tests. */
  get size(): number {
    return this.entries.size;
  }

  private add(origin: string, signal: AbortSignal): Entry {
    const robotsUrl = `${origin}/robots.txt`;
    const entry: Entry = { loadedAt: Date.now(), bytes: 0, robots: Promise.resolve(null) };
    entry.robots = this.load(robotsUrl, signal).then((body) => {
      if (body === null) return null;
      if (this.entries.get(origin) === entry) {
        entry.bytes = body.length;
        this.totalBytes += entry.bytes;
        this.evict();
      }
      return robotsParser(robotsUrl, body);
    });
    this.entries.set(origin, entry);
    this.evict();
    // A load that fails (e.g. cancelled) must not poison the cache for the next run.
    entry.robots.catch(() => this.remove(origin, entry));
    return entry;
  }

  private evict(): void {
    for (const [origin, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxOrigins && this.totalBytes <= this.limits.maxTotalBytes) return;
      // The newest entry stays even alone past the byte cap: its caller is waiting for it.
      if (this.entries.size === 1) return;
      this.remove(origin, entry);
    }
  }

  private remove(origin: string, entry: Entry): void {
    if (this.entries.get(origin) !== entry) return;
    this.entries.delete(origin);
    this.totalBytes -= entry.bytes;
  }
}
