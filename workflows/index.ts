// The worker's workflow bundle entry: every workflow type the worker serves.
export { streamRun, progressQuery } from './stream-run.js';
