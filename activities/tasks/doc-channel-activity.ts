import type { z } from 'zod';
import type { DocStatusName } from '../../schemas/docs.js';
import { FailureType } from '../../schemas/failure-types.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import type { StoredDoc } from '../ports.js';
import { permanentFailure, validationFailure } from '../failures.js';
import { channelTarget, publishToChannel, type ChannelConfig } from '../telegram/channel-publisher.js';
import type { PublishActivityFactory } from './task-activity.js';

interface DocChannelConfig extends ChannelConfig {
  media_id: string;
}

/**
 * A task that posts a medium's docs to a Telegram channel: which docs are due, and what each message
 * says. Everything else (the claim-send-settle loop, the doc's status) is publishToChannel's.
 */
export function docChannelActivity<TConfig extends DocChannelConfig>(
  schema: z.ZodType<TConfig>,
  due: { statuses: readonly DocStatusName[]; withGoogleDoc?: boolean },
  message: (doc: StoredDoc, config: TConfig) => { url: string | null; html: string },
): PublishActivityFactory {
  return (deps) =>
    async function publishDocs(rawConfig, run) {
      const parsed = schema.safeParse(rawConfig);
      if (!parsed.success) throw validationFailure(describeFieldIssues(toFieldIssues(parsed.error, 'config')));
      const config = parsed.data;
      const { publications, telegram, docs } = deps;
      if (!publications || !telegram || !docs)
        throw permanentFailure(
          FailureType.Configuration,
          'this worker was started without a database or Telegram settings for publishing',
        );
      if (!(await docs.findMedia(config.media_id)))
        throw validationFailure(`config.media_id: no medium ${config.media_id}`);

      return publishToChannel({ publications, telegram }, channelTarget(config), run, async (channel, limit) => {
        const docsDue = await docs.findDocsToPublish({ mediaId: config.media_id, channel, limit, ...due });
        return docsDue.map((doc) => ({ subject: { docId: doc.id }, ...message(doc, config) }));
      });
    };
}
