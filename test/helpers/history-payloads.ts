import type { Client } from '@temporalio/client';

export interface LargestPayload {
  bytes: number;
  /** The event type and field path of the payload, e.g. "EVENT_TYPE_ACTIVITY_TASK_COMPLETED result.payloads.0". */
  where: string;
}

/**
 * The largest payload (data plus metadata) anywhere in a workflow's history: activity inputs and
 * results, the workflow's input and result, failures' details, memos. Temporal warns at 512 KB and
 * fails at 2 MB per payload blob, so this is what a run's size has to be measured by.
 */
export async function largestHistoryPayload(client: Client, workflowId: string): Promise<LargestPayload> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  let largest: LargestPayload = { bytes: 0, where: 'none' };
  for (const event of history.events ?? []) {
    const eventType = String(event.eventType ?? 'event');
    walk(event, '', (bytes, path) => {
      if (bytes > largest.bytes) largest = { bytes, where: `${eventType} ${path}` };
    });
  }
  return largest;
}

function walk(value: unknown, path: string, visit: (bytes: number, path: string) => void): void {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
  const record = value as Record<string, unknown>;
  if (record.data instanceof Uint8Array && 'metadata' in record) {
    const metadata = (record.metadata ?? {}) as Record<string, unknown>;
    const metadataBytes = Object.entries(metadata).reduce(
      (sum, [key, bytes]) => sum + key.length + (bytes instanceof Uint8Array ? bytes.length : 0),
      0,
    );
    visit(record.data.length + metadataBytes, path);
    return;
  }
  for (const [key, child] of Object.entries(record)) walk(child, path ? `${path}.${key}` : key, visit);
}
