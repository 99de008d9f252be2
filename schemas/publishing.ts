/** A message as it would be posted; what a dry run hands back. */
export interface PublicationPreview {
  /** The item (telegram_publish) or doc (doc_publisher) the message is about. */
  itemId?: number;
  docId?: number;
  url: string | null;
  text: string;
}

/** What a publishing activity hands back to the workflow. */
export interface PublishOutput {
  /** Items due for publishing that this run considered (at most the batch size). */
  candidates: number;
  /** Messages the channel accepted in this run (over all attempts). */
  published: number;
  /** Messages the channel rejected; they are not tried again. */
  refused: number;
  /** Messages whose send started but whose answer was lost; never re-sent automatically. */
  unknown: number;
  attempt: number;
  warnings?: string[];
  /** Dry runs only. */
  preview?: PublicationPreview[];
}
