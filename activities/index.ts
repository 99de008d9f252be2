import { Context } from '@temporalio/activity';
import { retryWhileUnavailable } from '../src/db/retry-while-unavailable.js';
import { findValidator, saveItems } from '../src/db/items-repository.js';
import {
  claimPublication,
  countRunPublications,
  findItemsToPublish,
  markInterruptedSends,
  releasePublication,
  settlePublication,
} from '../src/db/publications-repository.js';
import { existingSourceIds, listSourcesOnHosts } from '../src/db/sources-repository.js';
import {
  claimGoogleDoc,
  countGoogleDocsMade,
  findDocsForGoogle,
  findDocsToPublish,
  newsForMedia,
  setGoogleDoc,
} from '../src/db/docs-repository.js';
import { findMedia } from '../src/db/media-repository.js';
import { createEnrichActivities } from './enrich.js';
import { HttpClient } from './http/http-client.js';
import { createStoreActivities, type StoreActivityDeps } from './store.js';
import { createTaskActivities } from './tasks/index.js';
import { registerTaskActivities } from './tasks/registered-activities.js';
import type { DocStore, ItemSaver, PublicationStore, TaskActivityConfig } from './tasks/task-activity.js';
import { TelegramBotApi, type TelegramSettings } from './telegram/bot-api.js';
import { AnthropicClient, type LlmSettings } from './llm/anthropic-client.js';
import { GoogleDocsClient, type GoogleSettings } from './google/drive-client.js';

export type ActivityDeps = Omit<TaskActivityConfig, 'telegram' | 'publications' | 'docs' | 'llm' | 'google'> &
  StoreActivityDeps & {
    /** The Bot API and the worker's bot tokens; without it the Telegram publishing tasks fail with a clear error. */
    telegram?: TelegramSettings;
    /** The model API and its key; without it news_stream fails with a clear error. */
    llm?: LlmSettings;
    /** The Google service account; without it google_doc_creator fails with a clear error. */
    google?: GoogleSettings;
  };

/** Every activity the worker registers, built from its dependencies (tests pass their own). */
export function createActivities(deps: ActivityDeps) {
  // One client for every activity of the worker, so per-host politeness spans them all.
  const { telegram, llm, google, ...rest } = deps;
  const http = new HttpClient(deps.http, deps.logger);
  const { db } = deps;
  const publications: PublicationStore = {
    existingSourceIds: (ids) => existingSourceIds(db, ids),
    findItemsToPublish: (query) => findItemsToPublish(db, query),
    claim: (claim) => claimPublication(db, claim),
    settle: (claim, outcome) => settlePublication(db, claim, outcome),
    release: (claim) => releasePublication(db, claim),
    markInterruptedSends: (query) => markInterruptedSends(db, query),
    countRun: (runId, channel) => countRunPublications(db, runId, channel),
  };
  const docs: DocStore = {
    findMedia: async (mediaId) => {
      const media = await findMedia(db, mediaId);
      return media && { styleExamples: media.styleExamples, sourceCount: media.sourceIds.length };
    },
    newsForMedia: (query) => newsForMedia(db, query),
    findDocsToPublish: (query) => findDocsToPublish(db, query),
    findDocsForGoogle: (query) => findDocsForGoogle(db, query),
    claimGoogleDoc: (docId, claim) => claimGoogleDoc(db, docId, claim),
    countGoogleDocsMade: (runId) => countGoogleDocsMade(db, runId),
    setGoogleDoc: (docId, url) => setGoogleDoc(db, docId, url),
  };
  // Called inside the collection activity, whose heartbeats go on while a save waits for the database.
  const itemSaver: ItemSaver = (input) =>
    retryWhileUnavailable(() => saveItems(deps.db, input), { signal: Context.current().cancellationSignal });
  const tasks = createTaskActivities({
    ...rest,
    httpClient: http,
    findValidator: (sourceId, url) => findValidator(deps.db, sourceId, url),
    listSourcesOnHosts: (hosts) => listSourcesOnHosts(deps.db, hosts),
    saveItems: itemSaver,
    publications,
    docs,
    ...(telegram ? { telegram: new TelegramBotApi(telegram) } : {}),
    ...(llm ? { llm: new AnthropicClient(llm) } : {}),
    ...(google ? { google: new GoogleDocsClient(google) } : {}),
  });
  return {
    // Collection tasks save what they collect themselves: items never travel through the history.
    ...registerTaskActivities(tasks, itemSaver),
    ...createEnrichActivities({ db: deps.db, http, logger: deps.logger }),
    // saveItems stays registered for runs started before collection activities saved their items.
    ...createStoreActivities(deps),
  };
}

/** The shape workflows proxy; imported by them as a type only. */
export type Activities = ReturnType<typeof createActivities>;
