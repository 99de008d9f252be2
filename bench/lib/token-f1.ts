/**
 * Token precision, recall and F1 of an extracted text against its expected text, the measure article
 * extraction benchmarks use (ScrapingHub's article-extraction-benchmark, trafilatura's evaluation): both
 * texts become bags of lower-cased word tokens and the overlap is counted with multiplicity, so a
 * paragraph kept twice or a share bar left in costs precision, a paragraph lost costs recall.
 */

// Scripts written without spaces between words: each character is a token, or a whole Chinese
// paragraph would be one token and any difference in it would count as the whole paragraph.
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Myanmar}\p{Script=Lao}\p{Script=Khmer}]/u;
const TOKEN = /[\p{L}\p{M}\p{N}]+/gu;

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const [word] of text.toLowerCase().normalize('NFC').matchAll(TOKEN)) {
    if (!UNSPACED.test(word)) {
      tokens.push(word);
      continue;
    }
    // Split the unspaced characters apart, keep runs of spaced-script letters or digits whole.
    let run = '';
    for (const character of word) {
      if (UNSPACED.test(character)) {
        if (run) tokens.push(run);
        run = '';
        tokens.push(character);
      } else run += character;
    }
    if (run) tokens.push(run);
  }
  return tokens;
}

export interface TokenScore {
  precision: number;
  recall: number;
  f1: number;
}

export function tokenScore(extracted: string, expected: string): TokenScore {
  const wanted = new Map<string, number>();
  const expectedTokens = tokenize(expected);
  for (const token of expectedTokens) wanted.set(token, (wanted.get(token) ?? 0) + 1);
  const extractedTokens = tokenize(extracted);
  let common = 0;
  for (const token of extractedTokens) {
    const left = wanted.get(token) ?? 0;
    if (left > 0) {
      common += 1;
      wanted.set(token, left - 1);
    }
  }
  const precision =
    extractedTokens.length === 0 ? (expectedTokens.length === 0 ? 1 : 0) : common / extractedTokens.length;
  const recall = expectedTokens.length === 0 ? 1 : common / expectedTokens.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
