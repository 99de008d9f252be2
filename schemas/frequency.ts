import { z } from 'zod';

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

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const cronFrequency = z
  .object({
    cron: z
      .string()
      .trim()
      .regex(/^(\S+\s+){4}\S+$/, 'must be a 5-field cron expression: minute hour day-of-month month day-of-week'),
    timezone: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
  })
  .strict();

/** When a stream runs by itself: a preset, or a cron expression in a time zone. Absent: only by hand. */
export const frequencySchema = z.union([z.enum(frequencyPresets), cronFrequency]);
export type Frequency = z.output<typeof frequencySchema>;

/** What happens when a scheduled run is due while the previous one still runs. */
export const overlapPolicies = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'] as const;
export type OverlapPolicy = (typeof overlapPolicies)[number];
