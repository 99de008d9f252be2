/**
 * The schemas and schema helpers a stream run uses, which build zod schemas when their modules load
 * (every task type's config among them). Workflows reach them through loadRunSchemas()
 * (workflows/shared-run-schemas.ts), never by a direct import, so each worker builds them once.
 */
export { enrichmentPlan } from '../schemas/fields.js';
export { applyRunPolicy } from '../schemas/run-policy.js';
export { DRY_RUN_PREVIEW_LIMIT, emptyCounts, streamRunInputSchema } from '../schemas/stream-run.js';
export { findTaskDefinition, taskTypes } from '../schemas/tasks/index.js';
