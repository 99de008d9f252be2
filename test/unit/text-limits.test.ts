import { describe, expect, it } from 'vitest';
import { storableText, stripInvalidCharacters } from '../../schemas/text-limits.js';

describe('stored texts hold only characters both databases can store', () => {
  it('drops NUL and the other C0 controls, keeping tab, line feed and carriage return', () => {
    expect(stripInvalidCharacters('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg')).toBe('abcdefg');
    expect(stripInvalidCharacters('line\tone\r\nline two\n')).toBe('line\tone\r\nline two\n');
  });

  it('drops lone surrogates and keeps surrogate pairs (emoji, rare CJK)', () => {
    expect(stripInvalidCharacters('a\uD800b')).toBe('ab');
    expect(stripInvalidCharacters('a\uDC00b')).toBe('ab');
    expect(stripInvalidCharacters('end\uD83D')).toBe('end');
    expect(stripInvalidCharacters('\uDE00start')).toBe('start');
    expect(stripInvalidCharacters('ok 😀 𠀀')).toBe('ok 😀 𠀀');
    expect(stripInvalidCharacters('\uDE00\uD83D')).toBe('');
  });

  it('drops the noncharacters U+FFFE and U+FFFF and keeps the rest of Unicode as it is', () => {
    expect(stripInvalidCharacters('a\uFFFEb\uFFFFc')).toBe('abc');
    const text = 'Ferry «Østersøen» — 東京 ‎ \u00A0 é';
    expect(stripInvalidCharacters(text)).toBe(text);
  });
});

describe('storableText', () => {
  it('keeps null as null and a text within its cap as it is', () => {
    expect(storableText(null, 10)).toBeNull();
    expect(storableText(undefined, 10)).toBeNull();
    expect(storableText('1234567890', 10)).toBe('1234567890');
  });

  it('cuts a longer text to its cap with an ellipsis, counting after the invalid characters are gone', () => {
    expect(storableText('12345678901', 10)).toBe('123456789…');
    expect(storableText('12345\u0000\u000067890', 10)).toBe('1234567890');
  });

  it('never cuts a surrogate pair in half', () => {
    const cut = storableText(`12345678😀tail`, 10);
    expect(cut).toBe('12345678…');
    expect(stripInvalidCharacters(cut)).toBe(cut);
  });
});
