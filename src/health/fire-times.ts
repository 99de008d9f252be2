/**
 * When a schedule should have fired in a window: from its interval spec (every preset), or from the
 * stream's cron and time zone. Pure, so the ledger of fires can be unit tested without a clock.
 */

/** Fires of `every` ms intervals at `offset` ms past the epoch's multiples, in [from, to]. */
export function intervalFireTimes(everyMs: number, offsetMs: number, from: Date, to: Date): Date[] {
  const fires: Date[] = [];
  if (everyMs <= 0) return fires;
  let at = Math.ceil((from.getTime() - offsetMs) / everyMs) * everyMs + offsetMs;
  for (; at <= to.getTime(); at += everyMs) fires.push(new Date(at));
  return fires;
}

const macros: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parseField(field: string, min: number, max: number, names: string[] = [], namesFrom = 0): Set<number> {
  const value = (text: string) => {
    const named = names.indexOf(text.toLowerCase());
    return named >= 0 ? named + namesFrom : Number(text);
  };
  const allowed = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '*', stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    let [low, high] = [min, max];
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      low = value(a);
      high = b !== undefined ? value(b) : stepText ? max : low;
    }
    for (let n = low; n <= high; n += step) allowed.add(n);
  }
  return allowed;
}

/**
 * Fires of a five-field cron (the checked forms of schemas/cron.ts: lists, ranges, steps, names, the
 * @-macros) in a time zone, minute by minute over [from, to]. Day of month and day of week must both
 * match, as in the calendar spec Temporal turns a cron into.
 */
export function cronFireTimes(cron: string, timeZone: string, from: Date, to: Date): Date[] {
  const fields = (macros[cron.trim()] ?? cron).trim().split(/\s+/);
  if (fields.length !== 5) return [];
  const [minute, hour, dom, month, dow] = [
    parseField(fields[0]!, 0, 59),
    parseField(fields[1]!, 0, 23),
    parseField(fields[2]!, 1, 31),
    parseField(fields[3]!, 1, 12, monthNames, 1),
    parseField(fields[4]!, 0, 7, dayNames),
  ];
  if (dow.has(7)) dow.add(0);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  });
  const fires: Date[] = [];
  const start = Math.ceil(from.getTime() / 60_000) * 60_000;
  for (let at = start; at <= to.getTime(); at += 60_000) {
    const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
    if (
      minute.has(Number(parts['minute'])) &&
      hour.has(Number(parts['hour'])) &&
      dom.has(Number(parts['day'])) &&
      month.has(Number(parts['month'])) &&
      dow.has(dayNames.indexOf(String(parts['weekday']).toLowerCase()))
    )
      fires.push(new Date(at));
  }
  return fires;
}
