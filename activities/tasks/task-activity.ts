import type { Logger } from 'pino';
import type { DocStatusName, WriteOutput } from '../../schemas/docs.js';
import type { AnthropicClient } from '../llm/anthropic-client.js';
import type { GoogleDocsClient } from '../google/drive-client.js';
import type { PublishOutput } from '../../schemas/publishing.js';
import type { StoredDoc } from '../ports.js';
import type { ItemToPublish, PublicationClaim, PublicationCounts } from '../ports.js';
import type { TelegramBotApi } from '../telegram/bot-api.js';
import type {
  CollectionContext,
  CollectionOutput,
  HttpValidator,
  SaveItemsInput,
  SaveItemsResult,
  TaskRunContext,
} from '../../schemas/stream-run.js';
import type { BrowserPool } from '../browser/browser-pool.js';
import type { HttpClient, HttpSettings } from '../http/http-client.js';

/** How a worker configures its task activities; tests pass their own. */
export interface TaskActivityConfig {
  http: HttpSettings;
  logger: Logger;
  /** Where conditional GETs find what the last saved run was told; without it every fetch is unconditional. */
  findValidator?: ValidatorLookup;
  /** The worker's Chromium; browser tasks fail with a clear error without one. */
  browser?: BrowserPool;
  /** A client shared with the worker's other activities; one is built from `http` when absent. */
  httpClient?: HttpClient;
  listSourcesOnHosts?: SourcesOnHostsLookup;
  saveItems?: ItemSaver;
  /** Where publishing tasks claim and record what they send; they fail with a clear error without it. */
  publications?: PublicationStore;
  /** The Bot API with the worker's tokens; telegram_publish fails with a clear error without it. */
  telegram?: TelegramBotApi;
  /** Media and their docs, for the tasks that write or publish docs. */
  docs?: DocStore;
  /** The language model news_stream writes with; it fails with a clear error without one. */
  llm?: AnthropicClient;
  /** Drive and Docs, for google_doc_creator. */
  google?: GoogleDocsClient;
}

export type ValidatorLookup = (sourceId: string, url: string) => Promise<HttpValidator | undefined>;

/** Sources whose URL is on one of the hosts, for tasks that work across every source of a kind. */
export type SourcesOnHostsLookup = (hosts: readonly string[]) => Promise<Array<{ id: string; url: string }>>;

/** The same idempotent save the workflow's saveItems step does, for tasks that save as they go. */
export type ItemSaver = (input: SaveItemsInput) => Promise<SaveItemsResult>;

/** What every task activity may use: one HTTP client per worker, so politeness spans all streams. */
export interface TaskActivityDeps {
  http: HttpClient;
  logger: Logger;
  findValidator?: ValidatorLookup | undefined;
  browser?: BrowserPool | undefined;
  listSourcesOnHosts?: SourcesOnHostsLookup | undefined;
  saveItems?: ItemSaver | undefined;
  publications?: PublicationStore | undefined;
  telegram?: TelegramBotApi | undefined;
  docs?: DocStore | undefined;
  llm?: AnthropicClient | undefined;
  google?: GoogleDocsClient | undefined;
}

/** A collected item as news_stream gives it to the model. */
export interface NewsItem {
  url: string;
  title: string | null;
  summary: string | null;
  text: string | null;
}

/** The database side of media and docs. */
export interface DocStore {
  findMedia(mediaId: string): Promise<{ styleExamples: string[]; sourceCount: number } | undefined>;
  newsForMedia(query: { mediaId: string; since: string; limit: number }): Promise<NewsItem[]>;
  findDocsToPublish(query: {
    mediaId: string;
    statuses: readonly DocStatusName[];
    channel: string;
    limit: number;
    withGoogleDoc?: boolean;
  }): Promise<StoredDoc[]>;
  /** New docs without a Google Doc, oldest first, leaving out those another run claimed lately. */
  findDocsForGoogle(query: {
    mediaId: string;
    limit: number;
    runId: string;
    staleBefore: string;
  }): Promise<StoredDoc[]>;
  /** Claims the doc for this run before its Google Doc is created; false when another run has it. */
  claimGoogleDoc(docId: number, claim: { runId: string; staleBefore: string }): Promise<boolean>;
  /** Google Docs this run made so far, over all its attempts. */
  countGoogleDocsMade(runId: string): Promise<number>;
  /** Stores the doc's Google Doc and moves it to `edit`. */
  setGoogleDoc(docId: number, url: string): Promise<void>;
}

/** The database side of publishing: what is due, and the claim-send-settle record of each message. */
export interface PublicationStore {
  existingSourceIds(ids: readonly string[]): Promise<string[]>;
  findItemsToPublish(query: {
    sourceIds: readonly string[];
    channel: string;
    since: string;
    limit: number;
  }): Promise<ItemToPublish[]>;
  claim(claim: PublicationClaim): Promise<boolean>;
  settle(
    claim: Pick<PublicationClaim, 'subject' | 'channel'>,
    outcome: { status: 'sent'; externalId: string } | { status: 'refused' | 'unknown'; error: string },
  ): Promise<void>;
  release(claim: Pick<PublicationClaim, 'subject' | 'channel' | 'runId'>): Promise<void>;
  markInterruptedSends(query: { channel: string; runId: string; staleBefore: string }): Promise<number>;
  countRun(runId: string, channel: string): Promise<PublicationCounts>;
}

/** A collection task's activity: takes the validated config (and the run's context), returns what it found. */
export type CollectionActivity = (config: unknown, context?: CollectionContext) => Promise<CollectionOutput>;

export type TaskActivityFactory = (deps: TaskActivityDeps) => CollectionActivity;

/** A publishing task's activity: sends what is due and reports what it sent. */
export type PublishActivity = (config: unknown, context: TaskRunContext) => Promise<PublishOutput>;

export type PublishActivityFactory = (deps: TaskActivityDeps) => PublishActivity;

/** A doc-writing task's activity: writes docs for a medium and hands them back to be saved. */
export type WriteActivity = (config: unknown, context: TaskRunContext) => Promise<WriteOutput>;

export type WriteActivityFactory = (deps: TaskActivityDeps) => WriteActivity;
