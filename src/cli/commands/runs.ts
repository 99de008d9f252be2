import type { ApiClient } from '../api-client.js';
import type { RunCounts, RunSummary } from '../api-types.js';
import { readIntegerArgument, rejectExtraPositionals } from '../args.js';
import { prepareCommand, printJson } from '../command-line.js';
import type { CommandContext, CommandGroup } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { allStreams, resolveStream } from '../stream-ref.js';
import { formatTable, shortTime, type Column } from '../table.js';

const usage = `Usage: newloom runs [<stream>] [--limit <n>]

The latest runs of a stream (its id or name), newest first; without <stream>, the latest runs of
every stream. --limit: at most n (1-100, default 20).
`;

const options = { limit: { type: 'string' } } as const;

export interface StreamRun extends RunSummary {
  streamId: string;
  streamName: string;
}

export const describeCounts = (counts: RunCounts | null | undefined) =>
  counts && `${counts.found} found, ${counts.new} new, ${counts.duplicate} dup`;

export const runColumns: Column<StreamRun>[] = [
  { header: 'RUN', value: (run) => run.id },
  { header: 'STREAM', value: (run) => run.streamName, maxWidth: 30 },
  { header: 'STATUS', value: (run) => run.status },
  { header: 'TRIGGER', value: (run) => run.trigger },
  { header: 'STARTED', value: (run) => shortTime(run.startedAt) },
  { header: 'COUNTS', value: (run) => describeCounts(run.counts) },
  { header: 'ERROR', value: (run) => run.error, maxWidth: 50 },
];

/** Streams whose runs are asked for at once: a few, not one request per stream all together. */
const STREAMS_AT_ONCE = 4;

async function runsOf(api: ApiClient, stream: { id: string; name: string }, pageSize: number) {
  const { runs } = await api.get<{ runs: RunSummary[] }>(`/streams/${stream.id}/runs`, { pageSize });
  return runs.map((run): StreamRun => ({ ...run, streamId: stream.id, streamName: stream.name }));
}

/** Applies `task` to every element, at most `limit` at a time, keeping the order. */
async function mapLimited<T, R>(elements: readonly T[], limit: number, task: (element: T) => Promise<R>) {
  const results: R[] = new Array<R>(elements.length);
  let next = 0;
  const lane = async () => {
    while (next < elements.length) {
      const index = next++;
      results[index] = await task(elements[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, elements.length) }, lane));
  return results;
}

export const runsCommand: CommandGroup = {
  name: 'runs',
  summary: "a stream's latest runs, or every stream's",
  usage,
  async run(args: string[], context: CommandContext) {
    const command = prepareCommand(args, options, usage, context);
    if (!command) return ExitCode.ok;
    const { values, positionals, api, json } = command;
    rejectExtraPositionals(positionals, 1);
    const limit = readIntegerArgument('limit', values.limit, 1, 100) ?? 20;
    let runs: StreamRun[];
    if (positionals[0] !== undefined) {
      runs = await runsOf(api, await resolveStream(api, positionals[0]), limit);
    } else {
      // The API lists runs per stream only: gather each stream's latest and keep the newest overall.
      const streams = await allStreams(api);
      const perStream = await mapLimited(streams, STREAMS_AT_ONCE, (stream) => runsOf(api, stream, limit));
      runs = perStream
        .flat()
        .sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''))
        .slice(0, limit);
    }
    if (json) printJson(context, runs);
    else context.output.out(formatTable(runs, runColumns));
    return ExitCode.ok;
  },
};
