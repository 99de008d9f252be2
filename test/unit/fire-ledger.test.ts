import { describe, expect, it } from 'vitest';
import { classifyFire, scheduledTimeOf } from '../../src/temporal/fire-ledger.js';
import { cronFireTimes, intervalFireTimes } from '../../src/health/fire-times.js';

const t = (iso: string) => Date.parse(iso);

describe('expected fires', () => {
  it('lists interval fires at their offset', () => {
    const fires = intervalFireTimes(
      300_000,
      60_000,
      new Date('2026-12-06T07:00:00Z'),
      new Date('2026-12-06T07:12:00Z'),
    );
    expect(fires.map((at) => at.toISOString())).toEqual([
      '2026-12-06T07:01:00.000Z',
      '2026-12-06T07:06:00.000Z',
      '2026-12-06T07:11:00.000Z',
    ]);
  });

  it('lists cron fires in the time zone, with names, ranges and steps', () => {
    const weekdays = cronFireTimes(
      '0 7 * * mon-fri',
      'Europe/Berlin',
      new Date('2026-12-04T00:00:00Z'),
      new Date('2026-12-08T00:00:00Z'),
    );
    // Friday and Monday at 07:00 Berlin (06:00 UTC in winter); not the weekend.
    expect(weekdays.map((at) => at.toISOString())).toEqual(['2026-12-04T06:00:00.000Z', '2026-12-07T06:00:00.000Z']);
    expect(
      cronFireTimes('*/20 9 * * *', 'UTC', new Date('2026-12-06T08:50:00Z'), new Date('2026-12-06T10:00:00Z')),
    ).toHaveLength(3);
    expect(
      cronFireTimes('@daily', 'UTC', new Date('2026-12-06T00:00:00Z'), new Date('2026-12-07T00:00:00Z')),
    ).toHaveLength(2);
  });
});

describe('what became of a fire', () => {
  const fire = t('2026-12-06T07:00:00Z');
  const base = {
    byFire: new Map(),
    runs: [],
    paused: [],
    now: t('2026-12-06T09:00:00Z'),
    retentionMs: 86_400_000,
    overlap: 'skip',
  };
  const run = (workflowId: string, startedAt: number, closedAt: number | null) => ({
    workflowId,
    status: closedAt ? 'completed' : 'running',
    startedAt,
    closedAt,
    scheduledFor: scheduledTimeOf(workflowId, 'str_a'),
  });

  it('started: the run whose id carries the fire time', () => {
    const started = run('str_a-scheduled-2026-12-06T07:00:00Z', fire + 40, fire + 5000);
    expect(started.scheduledFor).toBe(fire);
    expect(classifyFire(fire, { ...base, byFire: new Map([[fire, started]]), runs: [started] })).toMatchObject({
      outcome: 'started',
      runId: started.workflowId,
    });
  });

  it('skipped by overlap: names the run still going', () => {
    const long = run('str_a-scheduled-2026-12-06T06:55:00Z', fire - 300_000, fire + 60_000);
    expect(classifyFire(fire, { ...base, runs: [long] })).toMatchObject({
      outcome: 'skipped_overlap',
      runningRunId: long.workflowId,
    });
  });

  it('not due while paused or quarantined, missed when nothing explains it, pending when just due', () => {
    const paused = [{ from: fire - 1000, to: fire + 1000, reason: 'paused' as const, note: 'site down' }];
    expect(classifyFire(fire, { ...base, paused })).toMatchObject({ outcome: 'not_due_paused' });
    expect(classifyFire(fire, base)).toMatchObject({ outcome: 'missed' });
    expect(classifyFire(fire, { ...base, now: fire + 2000 })).toMatchObject({ outcome: 'pending' });
    expect(classifyFire(fire, { ...base, retentionMs: 3_600_000 })).toMatchObject({ outcome: 'unknown' });
  });
});
