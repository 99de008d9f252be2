import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeTasks } from '../../src/api/routes/tasks.js';

/**
 * The console's form logic (plain browser modules) on a small DOM: which control each schema property
 * gets, what the form sends, and where the API's field issues land. The Chromium test covers the rest.
 */
/** The little of the DOM these tests touch (the project's TypeScript has no DOM library). */
interface DomElement {
  dataset: Record<string, string | undefined>;
  className: string;
  textContent: string | null;
  value: string;
  querySelector(selector: string): DomElement | null;
  hasAttribute(name: string): boolean;
  setAttribute(name: string, value: string): void;
  append(...nodes: DomElement[]): void;
}

interface FormsModule {
  controlKind(property: unknown): string;
  schemaForm(
    schema: unknown,
    initial?: unknown,
  ): { fields: DomElement[]; read(): { value: Record<string, unknown>; issues: unknown[] } };
  showIssues(form: DomElement, issues: { path: string; message: string }[]): number;
}

let forms: FormsModule;
let document: { createElement(tag: string): DomElement };

beforeAll(async () => {
  const dom = parseHTML('<!doctype html><html><body></body></html>');
  document = dom.document;
  Object.assign(globalThis, { document: dom.document, Node: dom.Node });
  // A computed specifier: the module is browser JavaScript without type declarations.
  forms = (await import(new URL('../../src/console/forms.mjs', import.meta.url).href)) as FormsModule;
});

const task = (type: string) => describeTasks().find((candidate) => candidate.type === type)!;

describe('the schema form', () => {
  it('gives each property a control by its schema, an address one line however long it may be', () => {
    const properties = (task('rss_feed').configSchema as { properties: Record<string, unknown> }).properties;
    expect(forms.controlKind(properties.url)).toBe('string');
    expect(forms.controlKind(properties.max_items)).toBe('number');
    expect(forms.controlKind(properties.parse_now)).toBe('boolean');
    const search = (task('google_search').configSchema as { properties: Record<string, unknown> }).properties;
    expect(forms.controlKind(search.keywords)).toBe('lines');
    expect(forms.controlKind(search.search_type)).toBe('enum');
    const article = (task('web_article').configSchema as { properties: Record<string, unknown> }).properties;
    expect(forms.controlKind(article.selectors)).toBe('json');
  });

  it('sends the example as given and leaves untouched defaults to the API', () => {
    const rss = task('rss_feed');
    const form = forms.schemaForm(rss.configSchema, rss.example);
    expect(form.fields.map((field) => field.dataset.path)).toEqual([
      'config.url',
      'config.max_items',
      'config.respect_robots_txt',
      'config.parse_now',
      'config.parse_now_max',
    ]);
    expect(form.read()).toEqual({ value: rss.example, issues: [] });
  });

  it('reports nested JSON that does not parse at its field, before anything is sent', () => {
    const article = task('web_article');
    const form = forms.schemaForm(article.configSchema, article.example);
    const selectors = form.fields.find((field) => field.dataset.path === 'config.selectors')!;
    selectors.querySelector('textarea')!.value = '{ "title": ';
    expect(form.read().issues).toEqual([
      { path: 'config.selectors', message: expect.stringMatching(/not valid JSON/) },
    ]);
  });
});

describe('field issues from the API', () => {
  it('land on the field their path names, deeper paths on the nearest field, the rest in the summary', () => {
    // The shape of google_search's config, without its selects (the small DOM has no select.value setter).
    const schema = {
      type: 'object',
      properties: {
        keywords: { type: 'array', items: { type: 'string' } },
        days_ago: { type: 'integer', minimum: 1 },
        max_results_per_keyword: { type: 'integer' },
      },
    };
    const form = document.createElement('form');
    const summary = document.createElement('div');
    summary.className = 'form-errors';
    summary.setAttribute('hidden', '');
    form.append(summary, ...forms.schemaForm(schema, { keywords: ['ferry', 'harbour', 'x'] }).fields);

    const placed = forms.showIssues(form, [
      { path: 'body.config.keywords.2', message: 'Too long' },
      { path: 'body.config.days_ago', message: 'Too small' },
      { path: 'body.sourceId', message: 'no source src_x' },
    ]);

    expect(placed).toBe(2);
    const errorOf = (path: string) => form.querySelector(`.field[data-path="${path}"] .field-error`)!.textContent;
    expect(errorOf('config.keywords')).toBe('2: Too long');
    expect(errorOf('config.days_ago')).toBe('Too small');
    expect(form.querySelector('.field[data-path="config.max_results_per_keyword"]')!.className).not.toContain(
      'invalid',
    );
    expect(summary.textContent).toContain('body.sourceId: no source src_x');
    expect(summary.hasAttribute('hidden')).toBe(false);
  });
});
