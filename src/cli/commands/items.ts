import type { ItemView } from '../api-types.js';
import { readIntegerArgument, rejectExtraPositionals } from '../args.js';
import { prepareCommand, printJson } from '../command-line.js';
import type { CommandContext, CommandGroup } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { resolveStream } from '../stream-ref.js';
import { formatTable, shortTime, type Column } from '../table.js';

const usage = `Usage: newloom items [--stream <stream>] [--source <source id>] [--search <text>] [--limit <n>]

Collected items, newest first (GET /items).
  --stream <stream>     only this stream's (its id or name)
  --source <source id>  only this source's
  --search <text>       text in the title or summary, case-insensitive
  --since <ISO time>    first seen at or after; --until <ISO time>: before
  --limit <n>           at most n (1-500, default 50)
`;

const options = {
  stream: { type: 'string' },
  source: { type: 'string' },
  search: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
} as const;

export const itemColumns: Column<ItemView>[] = [
  { header: 'ID', value: (item) => item.id, align: 'right' },
  { header: 'SEEN', value: (item) => shortTime(item.firstSeenAt) },
  { header: 'TITLE', value: (item) => item.title, maxWidth: 60 },
  { header: 'URL', value: (item) => item.url, maxWidth: 80 },
];

export const itemsCommand: CommandGroup = {
  name: 'items',
  summary: 'collected items, filtered by stream, source or text',
  usage,
  async run(args: string[], context: CommandContext) {
    const command = prepareCommand(args, options, usage, context);
    if (!command) return ExitCode.ok;
    const { values, positionals, api, json } = command;
    rejectExtraPositionals(positionals, 0);
    const streamId = values.stream === undefined ? undefined : (await resolveStream(api, values.stream)).id;
    const { items } = await api.get<{ items: ItemView[] }>('/items', {
      streamId,
      sourceId: values.source,
      q: values.search,
      since: values.since,
      until: values.until,
      limit: readIntegerArgument('limit', values.limit, 1, 500),
    });
    if (json) printJson(context, items);
    else context.output.out(formatTable(items, itemColumns));
    return ExitCode.ok;
  },
};
