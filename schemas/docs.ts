/** A document written for a medium, before it is saved (what news_stream's model hands back). */
export interface GeneratedDoc {
  title: string;
  text: string;
  /** The main link it is about, when there is one. */
  url: string | null;
}

export const docStatuses = ['new', 'edit', 'publish', 'failed'] as const;
export type DocStatusName = (typeof docStatuses)[number];

export interface SaveDocsInput {
  runId: string;
  streamId: string;
  mediaId: string;
  docs: GeneratedDoc[];
}

export interface SaveDocsResult {
  new: number;
}

/** What a doc-writing activity hands back: the docs travel through the history (a model's answer is bounded by max_tokens). */
export interface WriteOutput {
  mediaId: string;
  docs: GeneratedDoc[];
  /** News items given to the model. */
  found: number;
  attempt: number;
  warnings?: string[];
}
