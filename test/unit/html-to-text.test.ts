import { describe, expect, it } from 'vitest';
import { entriesToItems } from '../../activities/feeds/entries-to-items.js';
import { htmlToText } from '../../activities/feeds/html-to-text.js';
import { parseFeedDocument } from '../../activities/feeds/parse-feed.js';
import { scriptTitlesFeed, unclosedScriptTags } from '../fixtures/hostile/cpu/generate.js';

const TEN_MIB = 10 * 1024 * 1024;

describe('htmlToText', () => {
  it('keeps what the regex version gave on ordinary markup', () => {
    expect(htmlToText('<p>One <b>bold</b>&nbsp;move</p>\n\n<p>Two&amp;three</p>')).toBe('One bold move Two&three');
    // A comment is nothing where it stands (React writes `<!-- -->` between the parts of one word).
    expect(htmlToText('<SCRIPT type="x">y</SCRIPT>a<style>p{}</style>b<!-- note -->c')).toBe('a bc');
    expect(htmlToText('<scripts>kept</scripts> <script-x>kept too</script-x>')).toBe('kept kept too');
    expect(htmlToText('1 < 2 and 3 > 2, <1> stays, </ 1> too')).toBe('1 < 2 and 3 > 2, <1> stays, </ 1> too');
  });

  it('joins inline markup without inventing spaces; block elements and <br> still separate words', () => {
    expect(htmlToText('650ft<sup>2</sup>')).toBe('650ft2');
    expect(htmlToText('<b>Bre</b>xit')).toBe('Brexit');
    expect(htmlToText('H<sub>2</sub>O, <a href="/x">link</a>ed, <span class="x">in</span>line, <EM>e</EM>m')).toBe(
      'H2O, linked, inline, em',
    );
    expect(htmlToText('one<br>two<br/>three<p>four</p>five<li>six</li><DIV>seven</DIV>eight')).toBe(
      'one two three four five six seven eight',
    );
    expect(htmlToText('<td>a</td><td>b</td><h2>c</h2>d<hr>e')).toBe('a b c d e');
  });

  it('leaves unfinished markup as text: a tag without >, a script without </script>, a comment without -->', () => {
    expect(htmlToText('a <b title="x')).toBe('a <b title="x');
    expect(htmlToText('<script>kept, for want of an end')).toBe('kept, for want of an end');
    expect(htmlToText('x <!-- open')).toBe('x <!-- open');
  });

  // The regex version searched to the end of the text again from every `<`: 40,000 repeats took 56 s,
  // 10 MiB would have taken hours. Generous bounds: they prove "does not freeze", not speed.
  it.each([
    ['unclosed <script ', unclosedScriptTags(TEN_MIB / 8), '<script <script '],
    ['unclosed <a', '<a'.repeat(TEN_MIB / 2), '<a<a<a'],
    ['unclosed <!--', '<!--'.repeat(TEN_MIB / 4), '<!--<!--'],
    ['<script> without </script>', '<script>'.repeat(TEN_MIB / 8), ''],
  ])('reads 10 MiB of %s within seconds', (_name, hostile, textStart) => {
    const started = performance.now();
    const text = htmlToText(hostile);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(text.startsWith(textStart)).toBe(true);
  });

  it('turns a feed whose titles repeat <script  into items within seconds', () => {
    const started = performance.now();
    const items = entriesToItems(parseFeedDocument(scriptTitlesFeed(3)), 'https://hostile.example.test/feed.xml');
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(items).toHaveLength(3);
    expect(items[0]?.title).toMatch(/^<script <script .*…$/);
  });
});

describe('htmlToText entities', () => {
  it('decodes every named and numeric HTML entity, once', () => {
    expect(htmlToText('Caf&eacute; &ccedil;a &#233; &#xE9; &hearts;')).toBe('Café ça é é ♥');
    // `&amp;eacute;` is the text "&eacute;" written in HTML: one decoding gives it back, not "é".
    expect(htmlToText('&amp;eacute;')).toBe('&eacute;');
  });

  it('reads a feed title whose XML escapes an HTML entity as the character it names', () => {
    // In the XML `&amp;eacute;` is the HTML `&eacute;`: feedsmith undoes the XML layer, htmlToText the HTML one.
    const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.test/</link>
<item><title>Caf&amp;eacute; cr&amp;egrave;me</title><link>https://example.test/a</link></item></channel></rss>`;
    const items = entriesToItems(parseFeedDocument(feed), 'https://example.test/feed.xml');
    expect(items[0]?.title).toBe('Café crème');
  });
});
