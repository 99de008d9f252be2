import { splitCommand } from './args.js';
import { itemsCommand } from './commands/items.js';
import { publicationsCommand } from './commands/publications.js';
import { cancelCommand, followCommand, runCommand } from './commands/run.js';
import { runsCommand } from './commands/runs.js';
import { streamsCommand } from './commands/streams.js';
import type { CommandContext, CommandGroup } from './context.js';
import { ApiRequestError, ApiUnreachableError, UsageError } from './errors.js';
import { ExitCode } from './exit-codes.js';

const commands: CommandGroup[] = [
  streamsCommand,
  runCommand,
  followCommand,
  cancelCommand,
  runsCommand,
  itemsCommand,
  publicationsCommand,
];

export function mainUsage(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return `Usage: newloom <command> [options]

Talks to a running NewLoom API over HTTP.

Commands:
${commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Options for every command:
  --api-url <url>   the API (default: $NEWLOOM_API_URL, else http://127.0.0.1:3000)
  --api-key <key>   bearer API key (default: $NEWLOOM_API_KEY; a local keyless API needs none)
  --json            print the API's answer as JSON instead of a table
  -h, --help        this help, or a command's: newloom <command> --help

Exit codes: 0 done (run completed), 1 run failed, 2 run cancelled, 3 the API answered an error,
4 the API is unreachable, 64 bad command line, 70 a bug in the CLI, 130 detached from a followed run
(Ctrl-C).
`;
}

/** Runs one command line and answers its exit code; errors are printed here, once, the same way for all. */
export async function runCli(argv: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { command: name, rest } = splitCommand(argv);
  try {
    if (name === undefined) {
      if (rest.includes('--help') || rest.includes('-h')) {
        context.output.out(mainUsage());
        return ExitCode.ok;
      }
      throw new UsageError('missing a command');
    }
    if (name === 'help') {
      const topic = commands.find((command) => command.name === rest[0]);
      context.output.out(topic ? topic.usage : mainUsage());
      return ExitCode.ok;
    }
    const command = commands.find((candidate) => candidate.name === name);
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    try {
      return await command.run(rest, context);
    } catch (error) {
      if (error instanceof UsageError) {
        context.output.err(`newloom ${name}: ${error.message}\n(see: newloom ${name} --help)\n`);
        return error.exitCode;
      }
      throw error;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      context.output.err(`newloom: ${error.message}\n(see: newloom --help)\n`);
      return error.exitCode;
    }
    if (error instanceof ApiRequestError) {
      const issues = error.issues.map((issue) => `\n  ${issue.path}: ${issue.message}`).join('');
      context.output.err(`error ${error.code} (HTTP ${error.status}): ${error.message}${issues}\n`);
      return error.exitCode;
    }
    if (error instanceof ApiUnreachableError) {
      context.output.err(`error API_UNREACHABLE: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
