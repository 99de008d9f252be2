import { DOC_PUBLISHER_STATUSES, docPublisherConfigSchema } from '../../schemas/tasks/doc-publisher.js';
import { docMessage } from '../telegram/publication-message.js';
import { docChannelActivity } from './doc-channel-activity.js';

/** Posts a medium's due docs to a channel and moves each to `publish` (or `failed` when refused). */
export const createDocPublisherActivity = docChannelActivity(
  docPublisherConfigSchema,
  { statuses: DOC_PUBLISHER_STATUSES },
  (doc, config) => ({
    url: doc.url,
    html: docMessage(doc, config.google_doc_links),
  }),
);
