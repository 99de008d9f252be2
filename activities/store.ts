import type { RecordRunOutcomeInput, SaveItemsInput, SaveItemsResult } from '../schemas/stream-run.js';
import type { Database } from '../src/db/database.js';
import { saveItems } from '../src/db/items-repository.js';
import { saveDocs } from '../src/db/docs-repository.js';
import type { SaveDocsInput, SaveDocsResult } from '../schemas/docs.js';
import { recordRunOutcome } from '../src/db/streams-repository.js';

export interface StoreActivityDeps {
  db: Database;
}

/** Database writes of a run, as their own activities so each is retried alone and idempotent. */
export function createStoreActivities({ db }: StoreActivityDeps) {
  return {
    /**
     * The save step of runs started before collection activities saved their own items (see
     * activities/tasks/save-as-collected.ts): kept registered so those runs, replayed from their
     * histories, still find it. New runs never schedule it.
     */
    async saveItems(input: SaveItemsInput): Promise<SaveItemsResult> {
      return saveItems(db, input);
    },
    async saveDocs(input: SaveDocsInput): Promise<SaveDocsResult> {
      return saveDocs(db, input);
    },
    async recordRunOutcome(input: RecordRunOutcomeInput): Promise<void> {
      await recordRunOutcome(db, input);
    },
  };
}
