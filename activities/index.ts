import { createEnrichActivities } from './enrich.js';
import { HttpClient, type HttpSettings, type SharedPoliteness } from './http/http-client.js';
import type { EnrichmentStore, RunRecordStore } from './ports.js';
import { createStoreActivities } from './store.js';
import { createTaskActivities } from './tasks/index.js';
import { registerTaskActivities } from './tasks/registered-activities.js';
import type {
  DocStore,
  ItemSaver,
  PublicationStore,
  SourcesOnHostsLookup,
  TaskActivityConfig,
  ValidatorLookup,
} from './tasks/task-activity.js';
import { TelegramBotApi, type TelegramSettings } from './telegram/bot-api.js';
import { AnthropicClient, type LlmSettings } from './llm/anthropic-client.js';
import { GoogleDocsClient, type GoogleSettings } from './google/drive-client.js';

/**
 * Everything a worker's activities are given: settings, clients and the ports to the stores. Nothing
 * here names a database; src/temporal/worker-activities.ts binds the ports to src/db.
 */
export interface ActivityPorts {
  http: HttpSettings;
  logger: TaskActivityConfig['logger'];
  browser?: TaskActivityConfig['browser'];
  /** The Bot API and the worker's bot tokens; without it the Telegram publishing tasks fail with a clear error. */
  telegram?: TelegramSettings | undefined;
  /** The model API and its key; without it news_stream fails with a clear error. */
  llm?: LlmSettings | undefined;
  /** The Google service account; without it google_doc_creator fails with a clear error. */
  google?: GoogleSettings | undefined;
  items: { findValidator: ValidatorLookup; listSourcesOnHosts: SourcesOnHostsLookup; save: ItemSaver };
  publications: PublicationStore;
  docs: DocStore;
  enrichment: EnrichmentStore;
  runRecords: RunRecordStore;
  /** Per-host politeness held across every worker of the installation (this process's own when absent). */
  politeness?: SharedPoliteness;
}

/** Every activity the worker registers, built from the ports it is given. */
export function createActivities(ports: ActivityPorts) {
  // One client for every activity of the worker, so per-host politeness spans them all.
  const http = new HttpClient(ports.http, ports.logger, ports.politeness);
  const tasks = createTaskActivities({
    http: ports.http,
    logger: ports.logger,
    ...(ports.browser ? { browser: ports.browser } : {}),
    httpClient: http,
    findValidator: ports.items.findValidator,
    listSourcesOnHosts: ports.items.listSourcesOnHosts,
    saveItems: ports.items.save,
    publications: ports.publications,
    docs: ports.docs,
    ...(ports.telegram ? { telegram: new TelegramBotApi(ports.telegram) } : {}),
    ...(ports.llm ? { llm: new AnthropicClient(ports.llm) } : {}),
    ...(ports.google ? { google: new GoogleDocsClient(ports.google) } : {}),
  });
  return {
    // Collection tasks save what they collect themselves: items never travel through the history.
    ...registerTaskActivities(tasks, ports.items.save),
    ...createEnrichActivities({ enrichment: ports.enrichment, http, logger: ports.logger }),
    // saveItems stays registered for runs started before collection activities saved their items.
    ...createStoreActivities(ports.runRecords),
  };
}

/** The shape workflows proxy; imported by them as a type only. */
export type Activities = ReturnType<typeof createActivities>;
