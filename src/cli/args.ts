import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes, wherever they appear on the line. */
export const globalOptions = {
  'api-url': { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

const globalValueOptions = new Set(['--api-url', '--api-key']);

/**
 * The command word (the first positional) and everything else, global options included, in order:
 * `newloom --api-url X streams list` and `newloom streams list --api-url X` mean the same.
 */
export function splitCommand(argv: readonly string[]): { command: string | undefined; rest: string[] } {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') break;
    if (globalValueOptions.has(arg)) {
      index++;
      continue;
    }
    if (!arg.startsWith('-')) return { command: arg, rest: [...argv.slice(0, index), ...argv.slice(index + 1)] };
  }
  return { command: undefined, rest: [...argv] };
}

/** util.parseArgs, strict, with the global options added and its TypeErrors turned into UsageErrors. */
export function parseCommandLine<T extends OptionSpecs>(args: readonly string[], options: T) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...globalOptions, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** `--config '{"url": ...}'` or `--config @path/to/config.json`. */
export function readJsonArgument(option: string, value: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(
        `--${option}: cannot read ${value.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--${option}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A preset (`15min`, `daily`...) as it is, a JSON object (`{"cron": "0 7 * * *", "timezone": "Europe/Berlin"}`) parsed. */
export function readFrequencyArgument(value: string): unknown {
  const trimmed = value.trim();
  return trimmed.startsWith('{') || trimmed.startsWith('@') ? readJsonArgument('frequency', trimmed) : trimmed;
}

/** A whole number within bounds, for --limit and the like; the API checks again, this catches typos early. */
export function readIntegerArgument(option: string, value: string | undefined, min: number, max: number) {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max)
    throw new UsageError(`--${option} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  return number;
}

export function requireOption<V>(option: string, value: V | undefined): V {
  if (value === undefined || value === '') throw new UsageError(`--${option} is required`);
  return value;
}

/** The positional at `index`, which the command needs: `<what>` names it in the error. */
export function requirePositional(positionals: readonly string[], index: number, what: string): string {
  const value = positionals[index];
  if (value === undefined) throw new UsageError(`missing ${what}`);
  return value;
}

export function rejectExtraPositionals(positionals: readonly string[], expected: number): void {
  if (positionals.length > expected)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[expected])}`);
}

/** A group's subcommands share one option list; an option given to the wrong one is a mistake worth saying. */
export function rejectOptionsOutside(values: object, allowed: readonly string[], command: string): void {
  const stray = Object.keys(values).find((name) => !(name in globalOptions) && !allowed.includes(name));
  if (stray !== undefined) throw new UsageError(`--${stray} does not go with ${command}`);
}
