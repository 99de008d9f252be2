import type { ActivityPorts } from '../../activities/index.js';
import type { SharedPoliteness } from '../../activities/http/http-client.js';
import type { DocStore, PublicationStore } from '../../activities/tasks/task-activity.js';
import { databaseDialect, type Database } from './database.js';
import {
  claimGoogleDoc,
  countGoogleDocsMade,
  findDocsForGoogle,
  findDocsToPublish,
  newsForMedia,
  saveDocs,
  setGoogleDoc,
} from './docs-repository.js';
import { findItemsToEnrich, recordArticleSkipped, storeArticleText } from './enrichment-repository.js';
import { PostgresHostGate, type SharedGateSettings } from './host-leases.js';
import { findValidator, saveItems } from './items-repository.js';
import { findMedia } from './media-repository.js';
import {
  claimPublication,
  countRunPublications,
  findItemsToPublish,
  markInterruptedSends,
  releasePublication,
  settlePublication,
} from './publications-repository.js';
import { retryWhileUnavailable } from './retry-while-unavailable.js';
import { PostgresRobotsAnswers } from './robots-answers.js';
import { existingSourceIds, listSourcesOnHosts } from './sources-repository.js';
import { recordOutcomeAndFollow, type HealthFollowDeps } from '../health/record-outcome.js';
import type { Logger } from 'pino';

export type StorePorts = Pick<ActivityPorts, 'items' | 'publications' | 'docs' | 'enrichment' | 'runRecords'>;

/** The activities' store ports, bound to one database. */
export function storePorts(
  db: Database,
  options: { cancellationSignal?: () => AbortSignal; health?: HealthFollowDeps } = {},
): StorePorts {
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
  return {
    items: {
      findValidator: (sourceId, url) => findValidator(db, sourceId, url),
      listSourcesOnHosts: (hosts) => listSourcesOnHosts(db, hosts),
      // Called inside the collection activity, whose heartbeats go on while a save waits for the database.
      save: (input) =>
        retryWhileUnavailable(() => saveItems(db, input), {
          ...(options.cancellationSignal ? { signal: options.cancellationSignal() } : {}),
        }),
    },
    publications,
    docs,
    enrichment: {
      findItemsToEnrich: (runId, max) => findItemsToEnrich(db, runId, max),
      storeArticleText: (itemId, article) => storeArticleText(db, itemId, article),
      recordSkipped: (itemId, reason) => recordArticleSkipped(db, itemId, reason),
    },
    runRecords: {
      saveItems: (input) => saveItems(db, input),
      saveDocs: (input) => saveDocs(db, input),
      recordRunOutcome: recordOutcomeAndFollow(db, options.health ?? {}),
    },
  };
}

/**
 * Politeness every worker of the installation shares. On PostgreSQL the database holds it, since
 * several workers may share one; SQLite installations run one worker and keep it in process.
 */
export function sharedPoliteness(db: Database, gate: SharedGateSettings, logger?: Logger): SharedPoliteness {
  if (databaseDialect(db) !== 'postgres') return {};
  return { gate: new PostgresHostGate(db, gate, logger), robotsAnswers: new PostgresRobotsAnswers(db) };
}
