import { proxyActivities } from '@temporalio/workflow';
import type { BareActivities } from './bare-activities.js';

const { fetchFeed, noop } = proxyActivities<BareActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

/** The shape of a NewLoom feed run (collect, save, record the outcome): three activities in a row. */
export async function bareFeedRun(url: string): Promise<number> {
  const bytes = await fetchFeed(url);
  await noop();
  await noop();
  return bytes;
}
