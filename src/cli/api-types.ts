/**
 * The parts of the API's answers the CLI reads, written from the wire format (see GET /docs/json)
 * rather than imported from src/: the CLI is an HTTP client and must keep working against a remote API.
 */
export interface RunCounts {
  found: number;
  collected: number;
  new: number;
  duplicate: number;
}

export interface StreamView {
  id: string;
  name: string;
  taskType: string;
  sourceId: string;
  frequency: string | { cron: string; timezone: string } | null;
  status: 'active' | 'paused';
  pauseNote: string | null;
  lastRun: { runId: string; status: string; at: string; counts: RunCounts | null; error: string | null } | null;
  scheduleStatus: string;
  scheduleError: string | null;
}

export interface RunSummary {
  id: string;
  status: string;
  trigger: string | null;
  startedAt: string | null;
  closedAt: string | null;
  counts: RunCounts | null;
  attempt: number | null;
  error: string | null;
}

export interface RunProgress {
  phase: string;
  counts: RunCounts;
  attempt: number;
  lastError: string | null;
}

export interface RunView {
  id: string;
  streamId: string | null;
  taskType: string | null;
  trigger: string | null;
  status: string;
  startedAt: string;
  closedAt: string | null;
  progress: RunProgress | null;
  result: { counts: RunCounts; attempt: number; warnings?: string[]; notModified?: boolean } | null;
  error: { type: string | null; message: string } | null;
}

export interface RunStarted {
  runId: string;
  streamId: string;
  status: string;
  statusUrl: string;
}

export interface ItemView {
  id: number;
  url: string;
  title: string | null;
  publishedAt: string | null;
  firstSeenAt: string;
  sourceId: string;
  streamId: string;
  runId: string;
}

export interface PublicationView {
  id: number;
  status: string;
  channel?: string;
  externalId?: string | null;
}
