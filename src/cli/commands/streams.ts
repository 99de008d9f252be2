import type { StreamView } from '../api-types.js';
import {
  readFrequencyArgument,
  readIntegerArgument,
  readJsonArgument,
  rejectExtraPositionals,
  rejectOptionsOutside,
  requireOption,
  requirePositional,
} from '../args.js';
import { prepareCommand, printJson } from '../command-line.js';
import type { CommandContext, CommandGroup } from '../context.js';
import { UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { resolveStream } from '../stream-ref.js';
import { formatTable, shortTime, type Column } from '../table.js';

const usage = `Usage: newloom streams <list|add|pause|resume|delete> [options]

  list                      streams, newest first
      --type <task type>    only streams of this task type (rss_feed, sitemap...)
      --status <status>     active or paused
      --limit <n>           at most n (1-500, default 50)
  add                       create a stream
      --type <task type>    required
      --name <name>         required, unique
      --config <json|@file> required: the task's config, inline or from a file
      --frequency <value>   a preset (5min, 15min, 30min, 1hour, 6hours, 12hours, daily) or
                            '{"cron": "0 7 * * MON-FRI", "timezone": "Europe/Berlin"}'; absent: by hand only
      --source <source id>  save items under this source (default: a source named like the stream)
  pause <stream>            stop the schedule; --note <text> says why
  resume <stream>           start the schedule again
  delete <stream>           delete the stream and its schedule (its items stay)

<stream> is a stream's id or its name. Every command takes --json, --api-url, --api-key.
`;

const options = {
  type: { type: 'string' },
  status: { type: 'string' },
  limit: { type: 'string' },
  name: { type: 'string' },
  config: { type: 'string' },
  frequency: { type: 'string' },
  source: { type: 'string' },
  note: { type: 'string' },
} as const;

const optionsOf: Record<string, readonly (keyof typeof options)[]> = {
  list: ['type', 'status', 'limit'],
  add: ['type', 'name', 'config', 'frequency', 'source'],
  pause: ['note'],
  resume: [],
  delete: [],
};

function describeFrequency(frequency: StreamView['frequency']): string | undefined {
  if (!frequency) return undefined;
  return typeof frequency === 'string' ? frequency : `${frequency.cron} (${frequency.timezone})`;
}

export const streamColumns: Column<StreamView>[] = [
  { header: 'ID', value: (stream) => stream.id },
  { header: 'NAME', value: (stream) => stream.name, maxWidth: 40 },
  { header: 'TYPE', value: (stream) => stream.taskType },
  {
    header: 'STATUS',
    value: (stream) => (stream.scheduleStatus === 'error' ? `${stream.status} (schedule error)` : stream.status),
  },
  { header: 'FREQUENCY', value: (stream) => describeFrequency(stream.frequency), maxWidth: 30 },
  {
    header: 'LAST RUN',
    value: (stream) => stream.lastRun && `${stream.lastRun.status} ${shortTime(stream.lastRun.at) ?? ''}`,
  },
];

export const streamsCommand: CommandGroup = {
  name: 'streams',
  summary: 'list, add, pause, resume or delete streams',
  usage,
  async run(args: string[], context: CommandContext) {
    const command = prepareCommand(args, options, usage, context);
    if (!command) return ExitCode.ok;
    const { values, positionals, api, json } = command;
    const action = positionals[0];
    const allowed = action === undefined ? undefined : optionsOf[action];
    if (allowed) rejectOptionsOutside(values, allowed, `streams ${action}`);
    const show = (stream: StreamView, verb: string) => {
      if (json) printJson(context, stream);
      else context.output.out(`${verb} stream ${stream.id} (${stream.name}): ${stream.status}\n`);
      return ExitCode.ok;
    };

    switch (action) {
      case 'list': {
        rejectExtraPositionals(positionals, 1);
        if (values.status !== undefined && values.status !== 'active' && values.status !== 'paused')
          throw new UsageError(`--status must be active or paused, not ${JSON.stringify(values.status)}`);
        const { streams } = await api.get<{ streams: StreamView[] }>('/streams', {
          type: values.type,
          status: values.status,
          limit: readIntegerArgument('limit', values.limit, 1, 500),
        });
        if (json) printJson(context, streams);
        else context.output.out(formatTable(streams, streamColumns));
        return ExitCode.ok;
      }
      case 'add': {
        rejectExtraPositionals(positionals, 1);
        const body = {
          type: requireOption('type', values.type),
          name: requireOption('name', values.name),
          config: readJsonArgument('config', requireOption('config', values.config)),
          ...(values.frequency === undefined ? {} : { frequency: readFrequencyArgument(values.frequency) }),
          ...(values.source === undefined ? {} : { sourceId: values.source }),
        };
        return show(await api.post<StreamView>('/streams', body), 'added');
      }
      case 'pause': {
        rejectExtraPositionals(positionals, 2);
        const stream = await resolveStream(api, requirePositional(positionals, 1, '<stream>'));
        const body = values.note === undefined ? {} : { note: values.note };
        return show(await api.post<StreamView>(`/streams/${stream.id}/pause`, body), 'paused');
      }
      case 'resume': {
        rejectExtraPositionals(positionals, 2);
        const stream = await resolveStream(api, requirePositional(positionals, 1, '<stream>'));
        return show(await api.post<StreamView>(`/streams/${stream.id}/resume`, {}), 'resumed');
      }
      case 'delete': {
        rejectExtraPositionals(positionals, 2);
        const stream = await resolveStream(api, requirePositional(positionals, 1, '<stream>'));
        await api.request('DELETE', `/streams/${stream.id}`);
        if (json) printJson(context, { deleted: stream.id });
        else context.output.out(`deleted stream ${stream.id} (${stream.name})\n`);
        return ExitCode.ok;
      }
      case undefined:
        throw new UsageError('missing a streams command: list, add, pause, resume or delete');
      default:
        throw new UsageError(`unknown streams command ${JSON.stringify(action)}: list, add, pause, resume or delete`);
    }
  },
};
