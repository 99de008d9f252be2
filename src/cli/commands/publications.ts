import type { PublicationView } from '../api-types.js';
import { rejectExtraPositionals, requireOption, requirePositional } from '../args.js';
import { prepareCommand, printJson } from '../command-line.js';
import type { CommandContext, CommandGroup } from '../context.js';
import { UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

const usage = `Usage: newloom publications resolve <id> --outcome sent|not_sent [--external-id <id>]

A publication whose outcome is unknown (the channel may or may not show the message) waits for a
person to look. Record what you saw:
  --outcome sent        the message is there; --external-id: its id in the channel
  --outcome not_sent    it is not: the next run sends it again
`;

const options = { outcome: { type: 'string' }, 'external-id': { type: 'string' } } as const;

export const publicationsCommand: CommandGroup = {
  name: 'publications',
  summary: 'resolve a publication whose outcome is unknown',
  usage,
  async run(args: string[], context: CommandContext) {
    const command = prepareCommand(args, options, usage, context);
    if (!command) return ExitCode.ok;
    const { values, positionals, api, json } = command;
    if (positionals[0] !== 'resolve')
      throw new UsageError(
        positionals[0] === undefined
          ? 'missing a publications command: resolve'
          : `unknown publications command ${JSON.stringify(positionals[0])}: resolve`,
      );
    rejectExtraPositionals(positionals, 2);
    const id = requirePositional(positionals, 1, '<id>');
    if (!/^\d+$/.test(id)) throw new UsageError(`<id> must be a publication's number, not ${JSON.stringify(id)}`);
    const outcome = requireOption('outcome', values.outcome);
    if (outcome !== 'sent' && outcome !== 'not_sent')
      throw new UsageError(`--outcome must be sent or not_sent, not ${JSON.stringify(outcome)}`);
    if (outcome === 'not_sent' && values['external-id'] !== undefined)
      throw new UsageError('--external-id goes with --outcome sent only');
    const body = { outcome, ...(values['external-id'] === undefined ? {} : { externalId: values['external-id'] }) };
    // `sent` answers the publication; `not_sent` answers 204: the publication is gone, to be sent again.
    const publication = await api.post<PublicationView | undefined>(`/publications/${id}/resolve`, body);
    if (json) printJson(context, publication ?? { id: Number(id), outcome });
    else
      context.output.out(
        outcome === 'sent'
          ? `publication ${id} recorded as sent\n`
          : `publication ${id} recorded as not sent: the next run sends it again\n`,
      );
    return ExitCode.ok;
  },
};
