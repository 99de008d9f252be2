import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Names shared by the workflow, the worker and every client, so none of them spells one twice. */
export const workflowTypes = { streamRun: 'streamRun' } as const;
export const queries = { progress: 'progress' } as const;
/** Memo fields a run leaves behind, so run lists need no query per run. */
export const memoKeys = { outcome: 'outcome' } as const;
/**
 * Memo fields of a stream's schedule: who it belongs to, readable in the Temporal UI's schedule page.
 * Temporal cannot update a schedule's memo, so they say what the stream was when its schedule was
 * created; the search attributes follow renames.
 */
export const scheduleMemoKeys = { streamId: 'streamId', streamName: 'streamName', taskType: 'taskType' } as const;

/** Custom search attributes: registered on the dev server at start, set on every run. */
export const searchAttributes = {
  streamId: defineSearchAttributeKey('NewloomStreamId', SearchAttributeType.KEYWORD),
  /** The stream's name, so the Temporal UI's run and schedule lists can show runs apart (a column). */
  streamName: defineSearchAttributeKey('NewloomStreamName', SearchAttributeType.KEYWORD),
  taskType: defineSearchAttributeKey('NewloomTaskType', SearchAttributeType.KEYWORD),
  trigger: defineSearchAttributeKey('NewloomTrigger', SearchAttributeType.KEYWORD),
} as const;

export const allSearchAttributeKeys = Object.values(searchAttributes);
