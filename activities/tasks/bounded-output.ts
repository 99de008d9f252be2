import type { PublicationPreview } from '../../schemas/publishing.js';
import {
  DRY_RUN_PREVIEW_LIMIT,
  DRY_RUN_PREVIEW_MAX_BYTES,
  PREVIEW_TEXT_MAX_CHARS,
  type CollectedItem,
} from '../../schemas/stream-run.js';

// What an activity hands back is written to the workflow's history, whose payloads Temporal fails at
// 2 MB (and warns about at 512 KB). A source decides how long its texts are, so everything an activity
// returns that grows with the source is bounded here, in bytes, not in characters: a Cyrillic
// character takes two bytes, a Chinese one three.

/** Most warnings a run keeps, and the longest each may be; the rest is summed up in one last line. */
export const MAX_WARNINGS = 50;
export const MAX_WARNING_CHARS = 500;
/** Most media addresses a preview item shows. */
const PREVIEW_MEDIA_URLS = 10;

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  // Do not cut a surrogate pair in two: the half left would not survive the trip to JSON and back.
  const highSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
  const end = highSurrogate(text.charCodeAt(maxChars - 2)) ? maxChars - 2 : maxChars - 1;
  return `${text.slice(0, end)}…`;
}

const clipNullable = (text: string | null | undefined, maxChars: number) =>
  typeof text === 'string' ? clip(text, maxChars) : text;

/** Takes entries in order while their serialized size stays within the budget. */
function withinBytes<T>(entries: readonly T[], maxEntries: number, maxBytes: number): T[] {
  const kept: T[] = [];
  let bytes = 2; // the array's brackets
  for (const entry of entries.slice(0, maxEntries)) {
    const size = jsonBytes(entry) + 1; // and its comma
    if (bytes + size > maxBytes) break;
    kept.push(entry);
    bytes += size;
  }
  return kept;
}

/**
 * A dry run's items as the preview shows them: the first DRY_RUN_PREVIEW_LIMIT, long texts cut to
 * PREVIEW_TEXT_MAX_CHARS, and no more than DRY_RUN_PREVIEW_MAX_BYTES in all.
 */
export function boundedItemPreview(items: readonly CollectedItem[]): CollectedItem[] {
  const shown = items.slice(0, DRY_RUN_PREVIEW_LIMIT).map((item): CollectedItem => {
    const clipped: CollectedItem = {
      ...item,
      title: clipNullable(item.title, PREVIEW_TEXT_MAX_CHARS) ?? null,
      summary: clipNullable(item.summary, PREVIEW_TEXT_MAX_CHARS) ?? null,
      author: clipNullable(item.author, PREVIEW_TEXT_MAX_CHARS) ?? null,
    };
    if (item.text !== undefined) clipped.text = clipNullable(item.text, PREVIEW_TEXT_MAX_CHARS) ?? null;
    if (item.mediaUrls !== undefined) clipped.mediaUrls = item.mediaUrls.slice(0, PREVIEW_MEDIA_URLS);
    return clipped;
  });
  return withinBytes(shown, DRY_RUN_PREVIEW_LIMIT, DRY_RUN_PREVIEW_MAX_BYTES);
}

/** A publishing dry run's messages, bounded like an item preview (a doc's text has no length limit). */
export function boundedPublicationPreview(preview: readonly PublicationPreview[]): PublicationPreview[] {
  const clipped = preview.map((message) => ({ ...message, text: clip(message.text, PREVIEW_TEXT_MAX_CHARS * 4) }));
  return withinBytes(clipped, DRY_RUN_PREVIEW_LIMIT, DRY_RUN_PREVIEW_MAX_BYTES);
}

/** At most MAX_WARNINGS warnings of at most MAX_WARNING_CHARS each (one per channel of hundreds adds up). */
export function boundedWarnings(warnings: readonly string[] | undefined): string[] | undefined {
  if (!warnings) return undefined;
  const kept = warnings.slice(0, MAX_WARNINGS).map((warning) => clip(warning, MAX_WARNING_CHARS));
  if (warnings.length > MAX_WARNINGS)
    kept[MAX_WARNINGS - 1] = `… and ${warnings.length - MAX_WARNINGS + 1} more warnings`;
  return kept;
}
