/**
 * Where `pattern` (matched case-insensitively) next occurs at or after a position, remembered. Scanners
 * ask with ever larger positions, so each search starts past the previous answer and all of them
 * together read the text once; an answer of -1 stays true for every later position. Searching afresh
 * from every `<` is what made the regex htmlToText take hours on `<script ` repeated.
 */
export function nextOccurrence(text: string, pattern: RegExp): (from: number) => number {
  const search = new RegExp(pattern.source, 'gi');
  let found = -2;
  return (from) => {
    if (found === -1 || found >= from) return found;
    search.lastIndex = from;
    found = search.exec(text)?.index ?? -1;
    return found;
  };
}
