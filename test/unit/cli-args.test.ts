import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseCommandLine,
  readFrequencyArgument,
  readIntegerArgument,
  readJsonArgument,
  splitCommand,
} from '../../src/cli/args.js';
import { apiClientFor, type CommandContext } from '../../src/cli/context.js';
import { UsageError } from '../../src/cli/errors.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';

/** A context that records what the CLI prints; no command here gets as far as the network. */
function recordingContext(env: NodeJS.ProcessEnv = {}) {
  const printed = { out: '', err: '' };
  const context: CommandContext = {
    output: {
      out: (text) => void (printed.out += text),
      err: (text) => void (printed.err += text),
      interactive: false,
    },
    env,
    onInterrupt: () => () => undefined,
  };
  return { context, printed };
}

describe('splitCommand', () => {
  it('finds the command word after global options that take a value', () => {
    expect(splitCommand(['--api-url', 'http://x', 'streams', 'list', '--json'])).toEqual({
      command: 'streams',
      rest: ['--api-url', 'http://x', 'list', '--json'],
    });
  });

  it('reads --opt=value as one argument and stops at --', () => {
    expect(splitCommand(['--api-key=k', 'items'])).toEqual({ command: 'items', rest: ['--api-key=k'] });
    expect(splitCommand(['--json', '--', 'streams'])).toEqual({
      command: undefined,
      rest: ['--json', '--', 'streams'],
    });
  });
});

describe('parseCommandLine', () => {
  it('accepts the global options next to the command’s own', () => {
    const { values, positionals } = parseCommandLine(['add', '--name', 'a', '--json', '--api-key', 'k'], {
      name: { type: 'string' },
    });
    expect(values).toMatchObject({ name: 'a', json: true, 'api-key': 'k' });
    expect(positionals).toEqual(['add']);
  });

  it('turns an unknown option into a UsageError', () => {
    expect(() => parseCommandLine(['--nmae', 'a'], { name: { type: 'string' } })).toThrow(UsageError);
  });
});

describe('argument values', () => {
  it('reads JSON inline or from @file, and names the option when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newloom-cli-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, '{"url": "https://example.test/feed.xml"}');
    expect(readJsonArgument('config', '{"max_items": 5}')).toEqual({ max_items: 5 });
    expect(readJsonArgument('config', `@${file}`)).toEqual({ url: 'https://example.test/feed.xml' });
    expect(() => readJsonArgument('config', '{url:')).toThrow(/--config: not valid JSON/);
    expect(() => readJsonArgument('config', `@${join(dir, 'missing.json')}`)).toThrow(/ENOENT/);
  });

  it('keeps a frequency preset as text and parses a cron object', () => {
    expect(readFrequencyArgument('15min')).toBe('15min');
    expect(readFrequencyArgument('{"cron": "0 7 * * *"}')).toEqual({ cron: '0 7 * * *' });
  });

  it('checks whole numbers within bounds', () => {
    expect(readIntegerArgument('limit', undefined, 1, 500)).toBeUndefined();
    expect(readIntegerArgument('limit', '20', 1, 500)).toBe(20);
    expect(() => readIntegerArgument('limit', '0', 1, 500)).toThrow(/from 1 to 500/);
    expect(() => readIntegerArgument('limit', '2.5', 1, 500)).toThrow(UsageError);
  });
});

describe('apiClientFor', () => {
  it('prefers the flag over the environment over the default', () => {
    expect(apiClientFor({}, {}).baseUrl).toBe('http://127.0.0.1:3000');
    expect(apiClientFor({}, { NEWLOOM_API_URL: 'http://api.test:8080' }).baseUrl).toBe('http://api.test:8080');
    expect(apiClientFor({ 'api-url': 'http://flag.test' }, { NEWLOOM_API_URL: 'http://api.test' }).baseUrl).toBe(
      'http://flag.test',
    );
  });

  it('joins paths under a base URL that has a path of its own', () => {
    const api = apiClientFor({ 'api-url': 'http://proxy.test/newloom' }, {});
    expect(api.url('/streams', { limit: 5, type: undefined })).toBe('http://proxy.test/newloom/streams?limit=5');
  });
});

describe('runCli usage errors', () => {
  it.each([
    [['bogus'], /unknown command "bogus"/],
    [[], /missing a command/],
    [['streams'], /missing a streams command/],
    [['streams', 'add', '--type', 'rss_feed', '--config', '{}'], /--name is required/],
    [['streams', 'list', '--colour'], /Unknown option '--colour'/],
    [['streams', 'list', '--note', 'why'], /--note does not go with streams list/],
    [['run', 'my-stream', '--cancel-on-exit'], /--cancel-on-exit goes with --follow/],
    [['publications', 'resolve', '12', '--outcome', 'maybe'], /--outcome must be sent or not_sent/],
    [['items', '--limit', 'lots'], /--limit must be a whole number/],
  ])('%j exits 64 and says why', async (argv, message) => {
    const { context, printed } = recordingContext();
    expect(await runCli(argv, context)).toBe(ExitCode.usage);
    expect(printed.err).toMatch(message);
    expect(printed.out).toBe('');
  });

  it('prints help for the CLI and for each command, exit 0', async () => {
    const { context, printed } = recordingContext();
    expect(await runCli(['--help'], context)).toBe(ExitCode.ok);
    expect(printed.out).toContain('Usage: newloom <command>');
    expect(await runCli(['streams', '--help'], context)).toBe(ExitCode.ok);
    expect(printed.out).toContain('Usage: newloom streams');
    expect(await runCli(['help', 'run'], context)).toBe(ExitCode.ok);
    expect(printed.out).toContain('--cancel-on-exit');
  });
});
