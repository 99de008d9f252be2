import { describe, expect, it } from 'vitest';
import { findText } from '../../activities/text/find-text.js';

describe('findText', () => {
  it('ignores case and Unicode composition', () => {
    expect(findText('Die neue FÄHRE fährt', 'fähre')).toBe('Die neue FÄHRE fährt');
    expect(findText('Die Fa\u0308hre verkehrt', 'FÄHRE')).toBe('Die Fähre verkehrt');
    expect(findText('ﬁnancial news', 'fi')).toBeDefined();
  });

  it('answers undefined when the text does not occur', () => {
    expect(findText('Sturmböen an der Küste', 'Fähre')).toBeUndefined();
  });

  it('returns an excerpt around the match with whitespace collapsed', () => {
    const text = `${'lorem ipsum '.repeat(50)}the   ferry\nleaves at noon ${'dolor sit '.repeat(50)}`;
    const excerpt = findText(text, 'FERRY', 60);
    expect(excerpt).toMatch(/^….*the ferry leaves at noon.*…$/);
    expect(excerpt!.length).toBeLessThanOrEqual(62);
  });
});
