import type { TextBlock } from './text-blocks.js';

/**
 * Short blocks a site prints on every article (a newsletter pitch, "Follow us on…", a standing
 * disclaimer, the author's bio) are furniture however the template marks them. This remembers, per
 * host, which short blocks appeared on which of its recent pages, so a block already seen on
 * `REPEATED_ON` other pages of the host is dropped. It lives in the extraction thread: what one
 * thread has read of a site, not a database; a fresh thread starts knowing nothing, which only costs
 * precision, never text.
 */
export class SiteMemory {
  private readonly hosts = new Map<string, HostMemory>();

  constructor(
    private readonly maxHosts = 200,
    private readonly maxBlocksPerHost = 1000,
  ) {}

  /** Drops blocks seen on enough other pages of pageUrl's host, then remembers this page's blocks. */
  filter(pageUrl: string, blocks: TextBlock[]): TextBlock[] {
    let host: string;
    let page: number;
    try {
      const url = new URL(pageUrl);
      host = url.hostname.replace(/^www\./, '');
      page = hash(`${url.pathname}${url.search}`);
    } catch {
      return blocks;
    }
    let memory = this.hosts.get(host);
    if (memory) this.hosts.delete(host);
    else memory = new Map();
    this.hosts.set(host, memory); // most recently used last
    if (this.hosts.size > this.maxHosts) this.hosts.delete(this.hosts.keys().next().value!);

    const kept = blocks.filter((block) => {
      if (block.text.length > MAX_REPEATED_CHARS) return true;
      const pages = memory.get(hash(block.text));
      if (!pages) return true;
      let others = pages.size;
      if (pages.has(page)) others -= 1;
      return others < REPEATED_ON;
    });
    // Never leave a page empty on the strength of the memory alone.
    const result = kept.length > 0 ? kept : blocks;
    for (const block of blocks) {
      if (block.text.length > MAX_REPEATED_CHARS) continue;
      const key = hash(block.text);
      const pages = memory.get(key) ?? new Set<number>();
      memory.delete(key);
      if (pages.size < 8) pages.add(page);
      memory.set(key, pages);
      if (memory.size > this.maxBlocksPerHost) memory.delete(memory.keys().next().value!);
    }
    return result;
  }
}

/**
 * Block texts and page addresses are kept as 32-bit FNV-1a hashes: 200 hosts × 1,000 blocks × up to 8
 * pages stays a few MB whatever the pages hold. A collision can only drop one short block.
 */
type HostMemory = Map<number, Set<number>>;

function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

/** Longer blocks are article paragraphs even when quoted on several pages. */
const MAX_REPEATED_CHARS = 300;
const REPEATED_ON = 2;
