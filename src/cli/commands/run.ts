import type { ItemView, RunStarted, RunView } from '../api-types.js';
import { rejectExtraPositionals, requirePositional } from '../args.js';
import { prepareCommand, printJson } from '../command-line.js';
import type { CommandContext, CommandGroup } from '../context.js';
import { UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { followRun } from '../follow.js';
import type { ApiClient } from '../api-client.js';
import { resolveStream } from '../stream-ref.js';
import { formatFields, formatTable, shortTime } from '../table.js';
import { describeCounts } from './runs.js';
import { itemColumns } from './items.js';

const runUsage = `Usage: newloom run <stream> [--follow [--cancel-on-exit]] [--force]

Starts a run of the stream (its id or name) now.
  --follow          show the run's progress on one live line, then its result and the items it saved;
                    exits 0 when the run completed, 1 when it failed, 2 when it was cancelled.
                    Ctrl-C detaches (the run goes on) and exits 130.
  --cancel-on-exit  with --follow: Ctrl-C cancels the run instead, and waits for it to end (exit 2)
  --force           start even if a run of the stream is still going
`;

const followUsage = `Usage: newloom follow <run id> [--cancel-on-exit]

Follows a run already started (by \`newloom run\`, a schedule or the API), as \`run --follow\` does.
`;

const cancelUsage = `Usage: newloom cancel <run id>

Asks the run to stop; it ends as cancelled.
`;

/** The exit code a closed run means to a script. */
export function exitCodeForRun(status: string): ExitCode {
  if (status === 'completed') return ExitCode.ok;
  if (status === 'cancelled') return ExitCode.runCancelled;
  return ExitCode.runFailed;
}

function runFields(run: RunView) {
  const counts = run.result?.counts ?? run.progress?.counts;
  const fields: [string, string | number | null | undefined][] = [
    ['run', run.id],
    ['status', run.status],
    ['started', shortTime(run.startedAt)],
    ['closed', shortTime(run.closedAt)],
    ['counts', describeCounts(counts)],
    ['attempts', run.result?.attempt ?? run.progress?.attempt],
  ];
  if (run.error) fields.push(['error', run.error.type ? `${run.error.type}: ${run.error.message}` : run.error.message]);
  for (const warning of run.result?.warnings ?? []) fields.push(['warning', warning]);
  return fields;
}

/** Follows to the end and reports; shared by `run --follow` and `follow`. */
async function followAndReport(
  api: ApiClient,
  runId: string,
  json: boolean,
  cancelOnExit: boolean,
  context: CommandContext,
) {
  const outcome = await followRun(api, runId, context, { cancelOnExit });
  if (outcome.kind === 'detached') {
    context.output.err(`detached: run ${runId} goes on. Follow it again with: newloom follow ${runId}\n`);
    return ExitCode.detached;
  }
  const { run } = outcome;
  const { items } = await api.get<{ items: ItemView[] }>(`/runs/${encodeURIComponent(runId)}/items`, { limit: 50 });
  if (json) printJson(context, { run, items });
  else {
    context.output.out(formatFields(runFields(run)));
    if (items.length > 0) context.output.out(`\n${formatTable(items, itemColumns)}`);
  }
  return exitCodeForRun(run.status);
}

export const runCommand: CommandGroup = {
  name: 'run',
  summary: 'start a run of a stream now; --follow watches it to the end',
  usage: runUsage,
  async run(args: string[], context: CommandContext) {
    const options = {
      follow: { type: 'boolean' },
      'cancel-on-exit': { type: 'boolean' },
      force: { type: 'boolean' },
    } as const;
    const command = prepareCommand(args, options, runUsage, context);
    if (!command) return ExitCode.ok;
    const { values, positionals, api, json } = command;
    rejectExtraPositionals(positionals, 1);
    if (values['cancel-on-exit'] && !values.follow) throw new UsageError('--cancel-on-exit goes with --follow');
    const stream = await resolveStream(api, requirePositional(positionals, 0, '<stream>'));
    const started = await api.post<RunStarted>(
      `/streams/${stream.id}/runs`,
      undefined,
      values.force ? { force: 'true' } : undefined,
    );
    if (!values.follow) {
      if (json) printJson(context, started);
      else context.output.out(`started run ${started.runId}; follow it with: newloom follow ${started.runId}\n`);
      return ExitCode.ok;
    }
    context.output.err(`run ${started.runId} of ${stream.name} started\n`);
    return followAndReport(api, started.runId, json, values['cancel-on-exit'] === true, context);
  },
};

export const followCommand: CommandGroup = {
  name: 'follow',
  summary: 'follow a run already started, to its end',
  usage: followUsage,
  async run(args: string[], context: CommandContext) {
    const command = prepareCommand(args, { 'cancel-on-exit': { type: 'boolean' } }, followUsage, context);
    if (!command) return ExitCode.ok;
    const { values, positionals, api, json } = command;
    rejectExtraPositionals(positionals, 1);
    const runId = requirePositional(positionals, 0, '<run id>');
    return followAndReport(api, runId, json, values['cancel-on-exit'] === true, context);
  },
};

export const cancelCommand: CommandGroup = {
  name: 'cancel',
  summary: 'cancel a run',
  usage: cancelUsage,
  async run(args: string[], context: CommandContext) {
    const command = prepareCommand(args, {}, cancelUsage, context);
    if (!command) return ExitCode.ok;
    const { positionals, api, json } = command;
    rejectExtraPositionals(positionals, 1);
    const runId = requirePositional(positionals, 0, '<run id>');
    const answer = await api.post<unknown>(`/runs/${encodeURIComponent(runId)}/cancel`);
    if (json) printJson(context, answer);
    else context.output.out(`cancelling run ${runId}\n`);
    return ExitCode.ok;
  },
};
