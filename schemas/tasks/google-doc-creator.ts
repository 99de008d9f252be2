import { z } from 'zod';
import { defineTask } from '../task-definition.js';

// Drive ids: letters, digits, - and _ (as in a folder's URL, …/folders/<id>).
const DRIVE_ID = /^[A-Za-z0-9_-]{10,200}$/;

export const googleDocCreatorConfigSchema = z
  .object({
    media_id: z.string().min(1).max(100).describe('The medium whose new docs get a Google Doc.'),
    folder_id: z
      .string()
      .regex(DRIVE_ID, "must be a Drive folder id, the last part of the folder's URL")
      .describe('The Drive folder the documents go into; share it with the service account as an editor.'),
    template_id: z
      .string()
      .regex(DRIVE_ID, 'must be a Google Doc id, the part of its URL after /d/')
      .optional()
      .describe(
        "A Google Doc to copy for each doc (its text goes at the top); without it each document holds just the doc's text.",
      ),
    batch_size: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(10)
      .describe(
        'Most docs one run turns into Google Docs, oldest first, counted over all its attempts (a retried attempt makes only what is left).',
      ),
  })
  .strict();

export type GoogleDocCreatorConfig = z.output<typeof googleDocCreatorConfigSchema>;

export const googleDocCreatorTask = defineTask({
  type: 'google_doc_creator',
  title: 'Google Docs for new docs',
  description:
    "Puts each new doc of a medium into a Google Doc in a Drive folder (a copy of the template, or a document of its own), stores the document's link on the doc and moves it to `edit`, ready for editors and `telegram_doc_publisher`. Each doc is claimed for the run before its file is made, so two overlapping runs never both make one, and every file is tagged with the doc's id, so a retry finds the file it already made instead of making a second one. Signs in as the service account in the worker's GOOGLE_APPLICATION_CREDENTIALS (or GOOGLE_SERVICE_ACCOUNT_JSON).",
  produces: 'publications',
  configSchema: googleDocCreatorConfigSchema,
  example: { media_id: 'med_0123456789ab', folder_id: '1AbCdEfGhIjKlMnOpQrStUvWxYz012345' },
  activity: {
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '30 seconds',
    scheduleToCloseTimeout: '30 minutes',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5 },
  },
});
