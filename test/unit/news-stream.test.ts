import { describe, expect, it } from 'vitest';
import { renderNews } from '../../activities/tasks/news-stream.js';
import { newsStreamConfigSchema, promptPlaceholders } from '../../schemas/tasks/news-stream.js';
import { renderTemplate, templateProblems } from '../../schemas/text-template.js';
import { toFieldIssues } from '../../schemas/validation.js';
import { llmSettings, loadConfig } from '../../src/config.js';

describe('prompt templates', () => {
  it('fill {news}, {examples} and {now}, and write {{ }} as literal braces', () => {
    const values = { news: 'N', examples: 'E', now: '2026-12-01T00:00:00.000Z' };
    expect(renderTemplate('{now}: {news} in the style of {examples}; JSON like {{"a": 1}}', values)).toBe(
      '2026-12-01T00:00:00.000Z: N in the style of E; JSON like {"a": 1}',
    );
    expect(templateProblems('{news} {{ok}}', promptPlaceholders)).toEqual([]);
  });

  it('name an unknown placeholder and a lone brace (the old system crashed on both at run time)', () => {
    expect(templateProblems('Hello {name}', promptPlaceholders)).toEqual([
      'unknown placeholder {name} (known: {news}, {examples}, {now})',
    ]);
    expect(templateProblems('a { b', promptPlaceholders)).toEqual([
      'a lone "{" at character 2: write {{ or }} for a literal brace',
    ]);
  });
});

describe('news_stream config', () => {
  it('needs {news} in the user prompt and fills the defaults', () => {
    const parsed = newsStreamConfigSchema.safeParse({
      media_id: 'med_a',
      system_prompt: 'Be brief.',
      user_prompt_template: 'Summarise',
    });
    expect(parsed.success ? [] : toFieldIssues(parsed.error, 'config')).toEqual([
      { path: 'config.user_prompt_template', message: 'must contain {news}, where the news items go' },
    ]);
    expect(
      newsStreamConfigSchema.parse({ media_id: 'med_a', system_prompt: 'Be brief.', user_prompt_template: '{news}' }),
    ).toMatchObject({
      time_window_minutes: 60,
      max_items: 100,
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      temperature: 0,
      max_docs: 5,
    });
  });
});

describe('renderNews', () => {
  it('writes Title / Content / URL blocks, the text preferred over the summary and cut at a word', () => {
    const news = [
      { url: 'https://n.test/1', title: 'Ferries', summary: 'short', text: `${'long text '.repeat(300)}end` },
      { url: 'https://n.test/2', title: null, summary: null, text: null },
    ];
    const [first, second] = renderNews(news).split('\n---\n');
    expect(first?.startsWith('Title: Ferries\nContent: long text long text')).toBe(true);
    expect(first?.endsWith('…\nURL: https://n.test/1')).toBe(true);
    expect(second).toBe('Title: (untitled)\nContent: (none)\nURL: https://n.test/2');
  });
});

describe('model settings', () => {
  it("read the key from ANTHROPIC_API_KEY and default to Anthropic's API", () => {
    expect(llmSettings(loadConfig({}))).toMatchObject({
      apiKey: undefined,
      apiBaseUrl: 'https://api.anthropic.com',
      timeoutMs: 120_000,
    });
    expect(llmSettings(loadConfig({ ANTHROPIC_API_KEY: ' sk-x ' })).apiKey).toBe('sk-x');
  });
});
