/** Case and width folded, so "ÉTÉ", "été" and "été" (decomposed) compare equal. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().normalize('NFKC');
}

/**
 * Where `needle` first occurs in `text`, ignoring case and Unicode normalisation differences, as a
 * short excerpt with whitespace collapsed; undefined when it does not occur.
 */
export function findText(text: string, needle: string, excerptLength = 240): string | undefined {
  const original = text.normalize('NFKC').replace(/\s+/g, ' ');
  const index = fold(original).indexOf(fold(needle.trim()));
  if (index < 0) return undefined;
  // The excerpt comes from the text as written; folding rarely changes lengths (e.g. "İ"), and then
  // only shifts the excerpt by a character or two.
  const start = Math.max(0, index - Math.floor(excerptLength / 3));
  const excerpt = original.slice(start, start + excerptLength).trim();
  return `${start > 0 ? '…' : ''}${excerpt}${start + excerptLength < original.length ? '…' : ''}`;
}
