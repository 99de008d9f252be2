import { describe, expect, it } from 'vitest';
import { contentLanguageTag } from '../../activities/articles/content-language.js';

describe('the Content-Language header as a page language', () => {
  it('takes one tag, normalised as a page’s own would be', () => {
    expect(contentLanguageTag('nb-no')).toBe('nb-NO');
    expect(contentLanguageTag(' en_US ')).toBe('en-US');
    expect(contentLanguageTag('zh-hant-tw')).toBe('zh-Hant-TW');
    expect(contentLanguageTag('de,')).toBe('de');
  });

  it('gives nothing for no header, several languages or junk', () => {
    for (const header of [
      null,
      undefined,
      '',
      ' ',
      'de, en',
      'en-GB,en-US',
      'english',
      'en foo',
      '*',
      '12',
      'x'.repeat(80),
    ])
      expect(contentLanguageTag(header)).toBeNull();
  });
});
