import { z } from 'zod';
import { defineTask } from '../task-definition.js';
import { textTemplate } from '../text-template.js';

/** The placeholders a news_stream prompt may use. */
export const promptPlaceholders = ['news', 'examples', 'now'] as const;

const promptTemplate = () => textTemplate(promptPlaceholders, 20_000);

export const newsStreamConfigSchema = z
  .object({
    media_id: z
      .string()
      .min(1)
      .max(100)
      .describe("The medium to write for: its sources' news go in, its docs come out."),
    time_window_minutes: z
      .number()
      .int()
      .min(1)
      .max(10_080)
      .default(60)
      .describe('News first seen within this many minutes before the run.'),
    max_items: z
      .number()
      .int()
      .min(1)
      .max(200)
      .default(100)
      .describe('Most news items given to the model, newest first.'),
    system_prompt: promptTemplate().describe(
      "The model's instructions: who it writes as and how. May use {examples} and {now}.",
    ),
    user_prompt_template: promptTemplate()
      .refine((template) => template.includes('{news}'), 'must contain {news}, where the news items go')
      .describe(
        "The request, with {news} where the news items go; {examples} (the medium's style examples) and {now} may be used too. {{ and }} are literal braces.",
      ),
    model: z.string().min(1).max(100).default('claude-sonnet-4-5').describe('The Anthropic model that writes.'),
    max_tokens: z.number().int().min(256).max(16_384).default(4096).describe('Longest answer the model may give.'),
    temperature: z.number().min(0).max(1).default(0).describe('0 for the most predictable writing.'),
    max_docs: z.number().int().min(1).max(20).default(5).describe('Most docs one run may write.'),
  })
  .strict();

export type NewsStreamConfig = z.output<typeof newsStreamConfigSchema>;

export const newsStreamTask = defineTask({
  type: 'news_stream',
  title: 'Write docs from the news (LLM)',
  description:
    "Gives the recent news of a medium's sources to a language model (Anthropic's Messages API) with the stream's prompts and the medium's style examples, and saves the documents it writes as the medium's docs (status `new`), ready to edit and publish. The model answers through a tool whose output is validated; a run with no news writes nothing. The API key comes from the worker's ANTHROPIC_API_KEY, never from the stream.",
  produces: 'docs',
  configSchema: newsStreamConfigSchema,
  example: {
    media_id: 'med_0123456789ab',
    time_window_minutes: 120,
    system_prompt: 'You are the editor of a local news digest. Write plainly, facts first. Style examples:\n{examples}',
    user_prompt_template:
      'Today is {now}. Group these news into at most three short stories, each with its main link:\n\n{news}',
  },
  activity: {
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '30 seconds',
    scheduleToCloseTimeout: '20 minutes',
    retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 3 },
  },
});
