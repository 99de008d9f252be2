import type { ParseArgsConfig } from 'node:util';
import type { ApiClient } from './api-client.js';
import { parseCommandLine } from './args.js';
import { apiClientFor, type CommandContext, type GlobalValues } from './context.js';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses one command's line. Undefined when `--help` was asked (the usage is printed): the caller
 * returns 0. Otherwise the values, the positionals and a client set from the flags and environment.
 */
export function prepareCommand<T extends OptionSpecs>(
  args: readonly string[],
  options: T,
  usage: string,
  context: CommandContext,
) {
  const parsed = parseCommandLine(args, options);
  // Every command's options include the global ones (parseCommandLine adds them); generics lose that here.
  const values = parsed.values as GlobalValues & { help?: boolean };
  if (values.help) {
    context.output.out(usage);
    return undefined;
  }
  const api: ApiClient = apiClientFor(values, context.env);
  return { values: parsed.values, positionals: parsed.positionals, api, json: values.json === true };
}

export function printJson(context: CommandContext, value: unknown): void {
  context.output.out(`${JSON.stringify(value, null, 2)}\n`);
}
