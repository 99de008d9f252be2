export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | null | undefined;
  /** Longer cells are cut with an ellipsis so one long title does not push every other column off screen. @default 60 */
  maxWidth?: number;
  align?: 'left' | 'right';
}

const EMPTY = '-';

/** One line per cell value: newlines and tabs would break the grid. */
function cellText(value: string | number | null | undefined, maxWidth: number): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  const flat = String(value).replace(/\s+/g, ' ').trim();
  const characters = [...flat];
  return characters.length > maxWidth ? `${characters.slice(0, maxWidth - 1).join('')}…` : flat;
}

const width = (text: string) => [...text].length;

/** A plain-text table: a header, then one line per row, columns two spaces apart; `(none)` for no rows. */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row), column.maxWidth ?? 60)));
  const widths = columns.map((column, index) =>
    Math.max(width(column.header), ...cells.map((line) => width(line[index]!))),
  );
  const renderLine = (line: readonly string[]) =>
    line
      .map((cell, index) => {
        const padding = ' '.repeat(widths[index]! - width(cell));
        return columns[index]!.align === 'right' ? padding + cell : cell + padding;
      })
      .join('  ')
      .trimEnd();
  return [renderLine(columns.map((column) => column.header)), ...cells.map(renderLine)].join('\n') + '\n';
}

/** `label: value` lines, labels aligned, for one record (a run's result). */
export function formatFields(fields: readonly [string, string | number | null | undefined][]): string {
  const labelWidth = Math.max(...fields.map(([label]) => width(label)));
  return (
    fields
      .map(([label, value]) => `${label}:${' '.repeat(labelWidth - width(label) + 1)}${cellText(value, 200)}`)
      .join('\n') + '\n'
  );
}

/** Dates shortened to minutes in UTC, the same on every machine: `2026-11-23 18:05Z`. */
export function shortTime(iso: string | null | undefined): string | undefined {
  if (!iso) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]}Z` : iso;
}
