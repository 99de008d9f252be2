import { describe, expect, it } from 'vitest';
import { telegramBulkParserConfigSchema } from '../../schemas/tasks/telegram-bulk-parser.js';
import { toFieldIssues } from '../../schemas/validation.js';

const pathsOf = (value: unknown) => {
  const result = telegramBulkParserConfigSchema.safeParse(value);
  return result.success ? [] : toFieldIssues(result.error, 'config').map((issue) => issue.path);
};

describe('the telegram_bulk_parser config schema', () => {
  it('accepts an empty config (the original refused it as "empty") and applies the original defaults', () => {
    expect(telegramBulkParserConfigSchema.parse({})).toEqual({
      time_window_minutes: 60,
      max_scrolls: 20,
      wait_time: 10,
      include_media: true,
      base_url: 'https://t.me',
      respect_robots_txt: true,
    });
  });

  it('normalises the listed channels to usernames', () => {
    expect(
      telegramBulkParserConfigSchema.parse({ channels: ['@harbour_news', 'https://t.me/s/quay_watch'] }).channels,
    ).toEqual(['harbour_news', 'quay_watch']);
  });

  it('keeps the original bounds and names the field that breaks them', () => {
    expect(pathsOf({ time_window_minutes: 0 })).toEqual(['config.time_window_minutes']);
    expect(pathsOf({ time_window_minutes: 1441 })).toEqual(['config.time_window_minutes']);
    expect(pathsOf({ max_scrolls: 101 })).toEqual(['config.max_scrolls']);
    expect(pathsOf({ wait_time: 31 })).toEqual(['config.wait_time']);
    expect(pathsOf({ channels: [] })).toEqual(['config.channels']);
    expect(pathsOf({ channels: ['-1001234567890'] })).toEqual(['config.channels.0']);
  });
});
