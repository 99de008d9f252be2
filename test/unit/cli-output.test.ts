import { describe, expect, it } from 'vitest';
import { describeProgress } from '../../src/cli/progress-line.js';
import { readServerSentEvents } from '../../src/cli/sse.js';
import { formatFields, formatTable, shortTime } from '../../src/cli/table.js';

interface Row {
  id: number;
  title: string | null;
}

const columns = [
  { header: 'ID', value: (row: Row) => row.id, align: 'right' as const },
  { header: 'TITLE', value: (row: Row) => row.title, maxWidth: 12 },
];

describe('formatTable', () => {
  it('pads columns to their widest cell, right-aligns a column (its header too) when asked, and trims trailing space', () => {
    const table = formatTable<Row>(
      [
        { id: 7, title: 'Storm' },
        { id: 123, title: 'Ferry' },
      ],
      columns,
    );
    expect(table).toBe([' ID  TITLE', '  7  Storm', '123  Ferry', ''].join('\n'));
  });

  it('cuts long cells with an ellipsis, flattens newlines, and shows - for empty ones', () => {
    const table = formatTable<Row>(
      [
        { id: 1, title: 'Council approves new ferry timetable' },
        { id: 2, title: 'two\nlines' },
        { id: 3, title: null },
      ],
      columns,
    );
    expect(table.split('\n')).toEqual(['ID  TITLE', ' 1  Council app…', ' 2  two lines', ' 3  -', '']);
  });

  it('says (none) for no rows', () => {
    expect(formatTable<Row>([], columns)).toBe('(none)\n');
  });
});

describe('formatFields and shortTime', () => {
  it('aligns labels', () => {
    expect(
      formatFields([
        ['run', 'r1'],
        ['attempts', 2],
        ['error', null],
      ]),
    ).toBe('run:      r1\nattempts: 2\nerror:    -\n');
  });

  it('shortens ISO times to the minute in UTC', () => {
    expect(shortTime('2026-11-23T18:05:42.123Z')).toBe('2026-11-23 18:05Z');
    expect(shortTime(null)).toBeUndefined();
  });
});

describe('describeProgress', () => {
  it('shows phase, counts and attempt, and the last error once retrying', () => {
    const counts = { found: 6, collected: 4, new: 4, duplicate: 0 };
    expect(describeProgress({ phase: 'saving', counts, attempt: 1, lastError: null })).toBe(
      'saving · found 6 · new 4 · dup 0 · attempt 1',
    );
    expect(describeProgress({ phase: 'collecting', counts, attempt: 2, lastError: 'HTTP 503\nfrom feed' })).toBe(
      'collecting · found 6 · new 4 · dup 0 · attempt 2 · last error: HTTP 503 from feed',
    );
    expect(describeProgress(null)).toBe('starting');
  });
});

describe('readServerSentEvents', () => {
  async function* chunks(...parts: string[]) {
    for (const part of parts) yield new TextEncoder().encode(part);
  }

  it('reassembles events split across chunks, skips comments, joins data lines', async () => {
    const events = [];
    for await (const event of readServerSentEvents(
      chunks(
        'event: progress\r\ndata: {"a"',
        ':1}\r\n\r\n: keep-alive\n\n',
        'data: one\ndata: two\n\nevent: end\ndata: {}\n\n',
      ),
    ))
      events.push(event);
    expect(events).toEqual([
      { event: 'progress', data: '{"a":1}' },
      { event: 'message', data: 'one\ntwo' },
      { event: 'end', data: '{}' },
    ]);
  });
});
