/**
 * `text` shortened to at most `max` characters, ending at a word boundary with "…" when it was cut.
 * Counted in code points, so an emoji is never split in half. A single word longer than half the limit
 * is cut inside the word rather than leaving almost nothing.
 */
export function cutAtWord(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  const kept = characters.slice(0, max - 1).join('');
  const endsAtWord = /\s/.test(characters[max - 1] ?? '');
  const lastSpace = kept.search(/\s\S*$/);
  const head = endsAtWord || lastSpace <= kept.length / 2 ? kept : kept.slice(0, lastSpace);
  return `${head.trimEnd()}…`;
}
