/**
 * Checks a cron expression by the rules Temporal's server parses it with (its scheduler's
 * `parseCronString` and `makeRange`), so a schedule the API accepts is one Temporal can create: a
 * stream saved with `99 * * * *` used to be stored, refused by Temporal, and then stop every start.
 *
 * Accepted: five fields (minute hour day-of-month month day-of-week), each `*` or a comma list of
 * `v`, `a-b`, `a-b/step`, `v/step` or `* /step`; month names (at least three letters, `jan`, `March`)
 * and day names (at least two letters, `mo`, `FRI`), case-insensitive; day-of-week 0-7 (0 and 7 are
 * Sunday); and the macros `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
 * `@hourly`. Not accepted, although Temporal reads them: the 6- and 7-field forms (year, seconds),
 * `@every` (the presets cover intervals) and a `TZ=` prefix (the time zone is its own field).
 */

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

type NameKind = 'month' | 'day' | null;

interface CronField {
  name: string;
  min: number;
  max: number;
  names: NameKind;
}

const FIELDS: CronField[] = [
  { name: 'minute', min: 0, max: 59, names: null },
  { name: 'hour', min: 0, max: 23, names: null },
  { name: 'day-of-month', min: 1, max: 31, names: null },
  { name: 'month', min: 1, max: 12, names: 'month' },
  { name: 'day-of-week', min: 0, max: 7, names: 'day' },
];

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Why the expression is not one Temporal can schedule, or null when it is. */
export function cronProblem(expression: string): string | null {
  const text = expression.trim();
  if (text.startsWith('@')) {
    // Temporal matches the macros exactly: `@HOURLY` would reach it as a 1-field expression.
    return MACROS[text]
      ? null
      : `unknown macro ${text}: use @yearly, @monthly, @weekly, @daily or @hourly, or five fields`;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5)
    return `must be a 5-field cron expression: minute hour day-of-month month day-of-week (got ${fields.length} field${fields.length === 1 ? '' : 's'})`;
  for (const [index, field] of FIELDS.entries()) {
    const problem = fieldProblem(fields[index]!, field);
    if (problem) return problem;
  }
  return null;
}

function fieldProblem(value: string, field: CronField): string | null {
  for (const part of value.split(',')) {
    if (part === '') return `${field.name} "${value}": an empty item in the list`;
    const [range, step, ...extra] = part.split('/');
    if (extra.length > 0 || range === undefined) return `${field.name} "${value}": more than one "/" in "${part}"`;
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1))
      return `${field.name} "${value}": the step after "/" must be a whole number of at least 1`;
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `${field.name} "${value}": "${range}" is not a value or a range a-b`;
    const start = parseValue(bounds[0]!, field);
    if (typeof start === 'string') return start;
    if (bounds.length === 2) {
      const end = parseValue(bounds[1]!, field);
      if (typeof end === 'string') return end;
      if (end < start) return `${field.name} "${value}": the range ${range} ends before it starts`;
    }
  }
  return null;
}

function parseValue(text: string, field: CronField): number | string {
  const named =
    field.names === 'month'
      ? nameIndex(text, MONTHS, 3, 1)
      : field.names === 'day'
        ? nameIndex(text, DAYS, 2, 0)
        : undefined;
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) {
    const hint = field.names === 'month' ? ' or a month name' : field.names === 'day' ? ' or a day name' : '';
    return `${field.name} "${text}" is not a number${hint}`;
  }
  const number = Number(text);
  if (number < field.min || number > field.max)
    return `${field.name} ${number} is out of range ${field.min}-${field.max}`;
  return number;
}

/** Temporal takes any prefix of the name of at least `minLength` letters: `mon`, `Monday`, `mo`. */
function nameIndex(text: string, names: string[], minLength: number, first: number): number | undefined {
  if (text.length < minLength) return undefined;
  const lower = text.toLowerCase();
  const index = names.findIndex((name) => name.startsWith(lower));
  return index < 0 ? undefined : index + first;
}
