/** The placeholders a news_stream prompt may use; `{{` and `}}` write a literal brace. */
export const promptPlaceholders = ['news', 'examples', 'now'] as const;
export type PromptPlaceholder = (typeof promptPlaceholders)[number];

const TOKEN = /\{\{|\}\}|\{([^{}]*)\}|[{}]/g;

/** What is wrong with a template, worded for the person who wrote it; empty when nothing is. */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const match of template.matchAll(TOKEN)) {
    const [token, name] = match;
    if (token === '{{' || token === '}}') continue;
    if (name === undefined) problems.push(`a lone "${token}" at character ${match.index}: write {{ or }} for a literal brace`);
    else if (!(promptPlaceholders as readonly string[]).includes(name)) problems.push(`unknown placeholder {${name}} (known: ${promptPlaceholders.map((known) => `{${known}}`).join(', ')})`);
  }
  return problems;
}

/** The template with its placeholders filled; assumes `templateProblems` found none. */
export function renderTemplate(template: string, values: Record<PromptPlaceholder, string>): string {
  return template.replace(TOKEN, (token, name: string | undefined) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    return name !== undefined && name in values ? values[name as PromptPlaceholder] : token;
  });
}
