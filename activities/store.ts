import type { RecordRunOutcomeInput, SaveItemsInput, SaveItemsResult } from '../schemas/stream-run.js';
import type { SaveDocsInput, SaveDocsResult } from '../schemas/docs.js';
import type { RunRecordStore } from './ports.js';

/** Database writes of a run, as their own activities so each is retried alone and idempotent. */
export function createStoreActivities(records: RunRecordStore) {
  return {
    /**
     * The save step of runs started before collection activities saved their own items (see
     * activities/tasks/save-as-collected.ts): kept registered so those runs, replayed from their
     * histories, still find it. New runs never schedule it.
     */
    async saveItems(input: SaveItemsInput): Promise<SaveItemsResult> {
      return records.saveItems(input);
    },
    async saveDocs(input: SaveDocsInput): Promise<SaveDocsResult> {
      return records.saveDocs(input);
    },
    async recordRunOutcome(input: RecordRunOutcomeInput): Promise<void> {
      await records.recordRunOutcome(input);
    },
  };
}
