import { z } from 'zod';
import { cronProblem } from './cron.js';

/** The original system's presets, kept so its users find the same choices. */
export const frequencyPresets = ['5min', '15min', '30min', '1hour', '6hours', '12hours', 'daily'] as const;
export type FrequencyPreset = (typeof frequencyPresets)[number];

export const presetPeriodSeconds: Record<FrequencyPreset, number> = {
  '5min': 5 * 60,
  '15min': 15 * 60,
  '30min': 30 * 60,
  '1hour': 3600,
  '6hours': 6 * 3600,
  '12hours': 12 * 3600,
  daily: 24 * 3600,
};

/** The zone's name as the time-zone database spells it, or null when Intl does not know the zone. */
function timeZoneName(name: string): string | null {
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
    // Intl reads names case-insensitively, Temporal (Go's time.LoadLocation) does not: keep the
    // database's spelling when only the case differs, the name as written otherwise (aliases stay).
    return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch {
    return null;
  }
}

const cronFrequency = z
  .object({
    // Checked field by field with Temporal's own rules, so a saved cron is always one it can schedule.
    cron: z
      .string()
      .trim()
      .superRefine((cron, context) => {
        const problem = cronProblem(cron);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      })
      .describe(
        'minute hour day-of-month month day-of-week, e.g. "0 7 * * MON-FRI"; or @hourly, @daily, @weekly, @monthly, @yearly',
      ),
    timezone: z
      .string()
      .default('UTC')
      .refine((name) => timeZoneName(name) !== null, 'must be an IANA time zone such as Europe/Berlin')
      .transform((name) => timeZoneName(name) ?? name),
  })
  .strict();

/** When a stream runs by itself: a preset, or a cron expression in a time zone. Absent: only by hand. */
export const frequencySchema = z.union([z.enum(frequencyPresets), cronFrequency]);
export type Frequency = z.output<typeof frequencySchema>;

/** What happens when a scheduled run is due while the previous one still runs. */
export const overlapPolicies = [
  'skip',
  'buffer_one',
  'buffer_all',
  'cancel_other',
  'terminate_other',
  'allow_all',
] as const;
export type OverlapPolicy = (typeof overlapPolicies)[number];
