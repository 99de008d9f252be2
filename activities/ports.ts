/**
 * The shapes activities exchange with the stores they are given. Activities never reach a database
 * themselves: src/temporal/worker-activities.ts binds these ports to src/db, and tests bind their own.
 */
import type { DocStatusName, SaveDocsInput, SaveDocsResult } from '../schemas/docs.js';
import type { RecordRunOutcomeInput, SaveItemsInput, SaveItemsResult } from '../schemas/stream-run.js';

/** A doc as the writing and publishing tasks read it. */
export interface StoredDoc {
  id: number;
  mediaId: string;
  title: string;
  text: string;
  url: string | null;
  status: DocStatusName;
  googleDocUrl: string | null;
  streamId: string;
  runId: string;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

/** A collected item due for publishing. */
export interface ItemToPublish {
  id: number;
  url: string;
  title: string | null;
  summary: string | null;
  text: string | null;
}

/** What a publication publishes: a collected item, or a doc written for a medium. */
export type PublicationSubject = { itemId: number } | { docId: number };

export interface PublicationClaim {
  subject: PublicationSubject;
  channel: string;
  streamId: string;
  runId: string;
}

/** A run's publications by how they ended (a send in flight is not counted). */
export type PublicationCounts = Record<'sent' | 'refused' | 'unknown', number>;

/** A run's new item still without its article text. */
export interface ItemToEnrich {
  id: number;
  url: string;
}

export interface ArticleText {
  text: string;
  title: string | null;
  author: string | null;
  publishedAt: string | null;
  /** The page's lead picture and language (see ArticlePage); absent from stores written before them. */
  imageUrl?: string | null;
  language?: string | null;
}

/** parse_now's side of the items table. */
export interface EnrichmentStore {
  /** A run's new items that have no text yet, oldest first: a retried enrichment resumes where it stopped. */
  findItemsToEnrich(runId: string, max: number): Promise<ItemToEnrich[]>;
  storeArticleText(itemId: number, article: ArticleText): Promise<void>;
  /** Notes in the item's lineage that its page could not be read, and why. Optional: stores without lineage skip it. */
  recordSkipped?(itemId: number, reason: string): Promise<void>;
}

/** The writes a run makes as steps of their own, each idempotent so a retried step changes nothing. */
export interface RunRecordStore {
  saveItems(input: SaveItemsInput): Promise<SaveItemsResult>;
  saveDocs(input: SaveDocsInput): Promise<SaveDocsResult>;
  recordRunOutcome(input: RecordRunOutcomeInput): Promise<void>;
}
