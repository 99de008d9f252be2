import { join } from 'node:path';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Activities } from '../../activities/index.js';
import type { TemporalTransport } from './client.js';
import { projectRoot } from '../project-root.js';
import { workflowPreloadModules } from './workflow-preload.js';

export const workflowsPath = join(projectRoot, 'workflows/index.ts');

export interface WorkerSettings {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /** A prebuilt bundle (tests build one per file); otherwise the worker bundles workflows/ itself. */
  workflowBundle?: WorkflowBundleOption;
  /**
   * Workflows kept in memory between their tasks (the SDK's default when unset). 0 keeps none, so no
   * task waits on this worker's sticky queue if it dies; tests that kill a worker use it.
   */
  maxCachedWorkflows?: number;
  /** Activities run at once (the SDK's default, 100, when unset). */
  maxConcurrentActivities?: number;
}

export async function createWorker(settings: WorkerSettings): Promise<Worker> {
  return Worker.create({
    connection: settings.connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    activities: settings.activities,
    ...(settings.workflowBundle
      ? { workflowBundle: settings.workflowBundle }
      : { workflowsPath, bundlerOptions: { preloadModules: [...workflowPreloadModules] } }),
    ...(settings.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: settings.maxCachedWorkflows } : {}),
    ...(settings.maxConcurrentActivities !== undefined
      ? { maxConcurrentActivityTaskExecutions: settings.maxConcurrentActivities }
      : {}),
    // Heartbeats carry cancellation back to activities; flushing them at most a second apart keeps a
    // cancel's latency near one second instead of 80% of the heartbeat timeout.
    maxHeartbeatThrottleInterval: '1 second',
    defaultHeartbeatThrottleInterval: '1 second',
    // On shutdown, running activities get this long to finish before they are cancelled and retried elsewhere.
    shutdownGraceTime: '10 seconds',
  });
}

export async function connectWorker(address: string, transport: TemporalTransport = {}): Promise<NativeConnection> {
  return NativeConnection.connect({
    address,
    ...(transport.tls ? { tls: transport.tls } : {}),
    ...(transport.apiKey ? { apiKey: transport.apiKey } : {}),
  });
}
