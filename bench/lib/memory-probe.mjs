// Preloaded (`node --import ./bench/lib/memory-probe.mjs …`) into a process a benchmark measures: appends
// the process's own memory to MEMORY_PROBE_FILE every second, the heap figures /proc cannot give.
import { appendFileSync } from 'node:fs';

const file = process.env.MEMORY_PROBE_FILE;
if (file) {
  setInterval(() => {
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ at: Date.now(), rss, heapUsed, heapTotal, external, arrayBuffers })}\n`);
  }, 1000).unref();
}
