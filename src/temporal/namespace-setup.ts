import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from '@temporalio/client';
import { msToTs, type SearchAttributeType } from '@temporalio/common';
import {
  encodeSearchAttributeIndexedValueType,
  type SearchAttributeKey,
} from '@temporalio/common/lib/search-attributes.js';
import type { Logger } from 'pino';

/** The gRPC status codes this setup tells apart. */
const grpcStatus = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, ALREADY_EXISTS: 6 } as const;

/** What the setup needs of a connection; the client's Connection and the worker's NativeConnection both have it. */
export type SetupConnection = Pick<Connection, 'workflowService' | 'operatorService'>;

export interface NamespaceSetupOptions {
  namespace: string;
  searchAttributes: ReadonlyArray<SearchAttributeKey<SearchAttributeType>>;
  logger: Logger;
  /** Retention of closed runs for a namespace this setup creates. @default 7 days */
  retentionDays?: number;
  /** How long to wait for a new namespace or attribute to become usable (the frontend caches them). @default 60 s */
  visibleWithinMs?: number;
}

/**
 * Thrown when the server lacks the namespace or a search attribute and this process may not add it
 * (Temporal Cloud, or a server whose operator API refuses us); `command` is what an operator runs.
 */
export class NamespaceSetupError extends Error {
  override readonly name = 'NamespaceSetupError';
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(`${message}. Run: ${command}`);
  }
}

/**
 * Makes sure the namespace exists and has every search attribute NewLoom sets, on any server: the dev
 * server (which `npm start` already gives them by flag), a self-hosted cluster (added here through the
 * operator service), or Temporal Cloud (which refuses: the error names the `tcld` command). Idempotent
 * and safe when the API and several workers run it at once: "already exists" counts as done. Returns
 * once a query naming every attribute is accepted, which is what starting a run will need.
 */
export async function ensureNamespaceReady(
  connection: SetupConnection,
  options: NamespaceSetupOptions,
): Promise<{ created: string[] }> {
  const { namespace, logger } = options;
  const visibleWithinMs = options.visibleWithinMs ?? 60_000;
  const created: string[] = [];

  if (!(await namespaceExists(connection, namespace))) {
    await registerNamespace(connection, options);
    created.push(`namespace ${namespace}`);
    // The operator service reads the namespace from a cache that lags the registration by seconds.
    await waitFor(
      () => operatorSeesNamespace(connection, namespace),
      visibleWithinMs,
      `namespace ${namespace} to become visible`,
    );
  }

  const missing = await missingSearchAttributes(connection, options);
  if (missing.length > 0) {
    await addSearchAttributes(connection, namespace, missing);
    created.push(...missing.map((key) => key.name));
  }
  await waitFor(
    () => attributesQueryable(connection, options),
    visibleWithinMs,
    `search attributes ${options.searchAttributes.map((key) => key.name).join(', ')} to become usable`,
  );
  if (created.length > 0) logger.info({ namespace, created }, 'Temporal namespace set up');
  return { created };
}

async function namespaceExists(connection: SetupConnection, namespace: string): Promise<boolean> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch (error) {
    if (grpcCode(error) === grpcStatus.NOT_FOUND) return false;
    throw error;
  }
}

async function operatorSeesNamespace(connection: SetupConnection, namespace: string): Promise<boolean> {
  try {
    await connection.operatorService.listSearchAttributes({ namespace });
    return true;
  } catch (error) {
    if (grpcCode(error) === grpcStatus.NOT_FOUND) return false;
    throw error;
  }
}

async function registerNamespace(connection: SetupConnection, options: NamespaceSetupOptions): Promise<void> {
  const days = options.retentionDays ?? 7;
  try {
    await connection.workflowService.registerNamespace({
      namespace: options.namespace,
      workflowExecutionRetentionPeriod: msToTs(`${days} days`),
    });
  } catch (error) {
    if (grpcCode(error) === grpcStatus.ALREADY_EXISTS) return; // another process was first
    throw new NamespaceSetupError(
      `namespace ${options.namespace} does not exist and could not be created (${describe(error)})`,
      `temporal operator namespace create --namespace ${options.namespace} --retention ${days * 24}h  (Temporal Cloud: create it in the Cloud UI or with tcld namespace create)`,
    );
  }
}

async function missingSearchAttributes(connection: SetupConnection, options: NamespaceSetupOptions) {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: options.namespace });
  const known = customAttributes ?? {};
  return options.searchAttributes.filter((key) => !(key.name in known));
}

async function addSearchAttributes(
  connection: SetupConnection,
  namespace: string,
  keys: ReadonlyArray<SearchAttributeKey<SearchAttributeType>>,
): Promise<void> {
  const searchAttributes = Object.fromEntries(keys.map((key) => [key.name, indexedValueType(key.type)]));
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (error) {
    if (grpcCode(error) === grpcStatus.ALREADY_EXISTS) return; // a racing process added them
    const flags = keys.map((key) => `--search-attribute "${key.name}=${typeName(key.type)}"`).join(' ');
    throw new NamespaceSetupError(
      `namespace ${namespace} lacks the search attributes ${keys.map((key) => key.name).join(', ')} and this process could not add them (${describe(error)})`,
      `temporal operator search-attribute create --namespace ${namespace} ${keys.map((key) => `--name ${key.name} --type ${typeName(key.type)}`).join(' ')}  (Temporal Cloud: tcld namespace search-attributes add --namespace ${namespace} ${flags})`,
    );
  }
}

/** The frontend validates queries against its cached mapping, so an accepted count query means runs can set them too. */
async function attributesQueryable(connection: SetupConnection, options: NamespaceSetupOptions): Promise<boolean> {
  const query = options.searchAttributes.map((key) => `${key.name} = '__newloom_setup_probe__'`).join(' AND ');
  try {
    await connection.workflowService.countWorkflowExecutions({ namespace: options.namespace, query });
    return true;
  } catch (error) {
    if (grpcCode(error) === grpcStatus.INVALID_ARGUMENT) return false;
    throw error;
  }
}

async function waitFor(check: () => Promise<boolean>, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`gave up after ${withinMs} ms waiting for ${what}`);
    await sleep(delay);
  }
}

function indexedValueType(type: SearchAttributeType) {
  const value = encodeSearchAttributeIndexedValueType(type);
  if (value === undefined) throw new Error(`no indexed value type for search attribute type ${type}`);
  return value;
}

/** The CLI's spelling of a type: KEYWORD_LIST → KeywordList. */
function typeName(type: SearchAttributeType): string {
  return type
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function grpcCode(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number'
    ? error.code
    : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
