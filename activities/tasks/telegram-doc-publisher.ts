import { telegramDocPublisherConfigSchema } from '../../schemas/tasks/telegram-doc-publisher.js';
import { templatedDocMessage } from '../telegram/publication-message.js';
import { docChannelActivity } from './doc-channel-activity.js';

/** Announces a medium's docs that have a Google Doc (status edit) and moves each to `publish`. */
export const createTelegramDocPublisherActivity = docChannelActivity(
  telegramDocPublisherConfigSchema,
  { statuses: ['edit'], withGoogleDoc: true },
  (doc, config) => ({ url: doc.googleDocUrl, html: templatedDocMessage(config.message_template, doc) }),
);
