import { describe, expect, it } from 'vitest';
import { cronProblem } from '../../schemas/cron.js';
import { frequencySchema } from '../../schemas/frequency.js';
import { toFieldIssues } from '../../schemas/validation.js';

describe('cron expressions are checked with the rules Temporal parses them by', () => {
  it('accepts lists, ranges, steps, names and the macros Temporal knows', () => {
    for (const cron of [
      '0 7 * * 1-5',
      '*/15 * * * *',
      '0-59/5 0-23 1-31 1-12 0-7',
      '5/20 * * * *',
      '0 9,12,18 * * *',
      '0 7 * * MON-FRI',
      '0 7 * * mo,We,friday',
      '0 0 1 JAN,jul *',
      '0 0 1 march-May *',
      '0 0 * * 7',
      '@hourly',
      '@daily',
      '@midnight',
      '@weekly',
      '@monthly',
      '@yearly',
      '@annually',
    ]) {
      expect(cronProblem(cron), cron).toBeNull();
    }
  });

  it('names the field and its range for a value out of range', () => {
    expect(cronProblem('99 * * * *')).toBe('minute 99 is out of range 0-59');
    expect(cronProblem('0 24 * * *')).toBe('hour 24 is out of range 0-23');
    expect(cronProblem('0 0 0 * *')).toBe('day-of-month 0 is out of range 1-31');
    expect(cronProblem('0 0 32 * *')).toBe('day-of-month 32 is out of range 1-31');
    expect(cronProblem('0 0 * 13 *')).toBe('month 13 is out of range 1-12');
    expect(cronProblem('0 0 * * 8')).toBe('day-of-week 8 is out of range 0-7');
    expect(cronProblem('0-60 * * * *')).toBe('minute 60 is out of range 0-59');
    expect(cronProblem('1,2,75 * * * *')).toBe('minute 75 is out of range 0-59');
  });

  it('refuses malformed steps, ranges and lists', () => {
    expect(cronProblem('*/0 * * * *')).toMatch(/^minute "\*\/0": the step/);
    expect(cronProblem('*/x * * * *')).toMatch(/^minute "\*\/x": the step/);
    expect(cronProblem('1/2/3 * * * *')).toMatch(/more than one "\/"/);
    expect(cronProblem('30-10 * * * *')).toMatch(/ends before it starts/);
    expect(cronProblem('1-2-3 * * * *')).toMatch(/not a value or a range/);
    expect(cronProblem('1,,2 * * * *')).toMatch(/an empty item/);
    expect(cronProblem('-5 * * * *')).toMatch(/not a number/);
  });

  it('refuses what Temporal does not read, and the forms this API leaves to other fields', () => {
    expect(cronProblem('0 0 L * *')).toMatch(/day-of-month "L" is not a number/);
    expect(cronProblem('0 0 ? * *')).toMatch(/day-of-month "\?" is not a number/);
    expect(cronProblem('0 0 * * m')).toMatch(/day-of-week "m" is not a number or a day name/);
    expect(cronProblem('0 0 1 ja *')).toMatch(/month "ja" is not a number or a month name/);
    expect(cronProblem('0 0 * * * 2030')).toMatch(/5-field.*got 6 fields/);
    expect(cronProblem('* * * *')).toMatch(/got 4 fields/);
    expect(cronProblem('@every 1h')).toMatch(/unknown macro/);
    // Temporal matches macros case-sensitively: upper case would reach it as a 1-field expression.
    expect(cronProblem('@HOURLY')).toMatch(/unknown macro/);
  });

  it('reports the problem at frequency.cron, and a time zone Intl does not know at frequency.timezone', () => {
    const badCron = frequencySchema.safeParse({ cron: '99 * * * *' });
    expect(badCron.success).toBe(false);
    expect(toFieldIssues(badCron.error!, 'body.frequency')).toEqual([
      { path: 'body.frequency.cron', message: 'minute 99 is out of range 0-59' },
    ]);
    const badZone = frequencySchema.safeParse({ cron: '0 7 * * *', timezone: 'Mars/Olympus' });
    expect(toFieldIssues(badZone.error!, 'body.frequency')).toEqual([
      { path: 'body.frequency.timezone', message: 'must be an IANA time zone such as Europe/Berlin' },
    ]);
  });

  it('spells a time zone as the zone database does, because Temporal reads names case-sensitively', () => {
    expect(frequencySchema.parse({ cron: '0 7 * * *', timezone: 'europe/berlin' })).toEqual({
      cron: '0 7 * * *',
      timezone: 'Europe/Berlin',
    });
    expect(frequencySchema.parse({ cron: '0 7 * * *' })).toEqual({ cron: '0 7 * * *', timezone: 'UTC' });
  });
});
