import { z } from 'zod';

// `{{` and `}}` are literal braces, `{name}` a placeholder, and any other brace is a mistake.
const TOKEN = /\{\{|\}\}|\{([^{}]*)\}|[{}]/g;

/** What is wrong with a template, worded for the person who wrote it; empty when nothing is. */
export function templateProblems(template: string, placeholders: readonly string[]): string[] {
  const problems: string[] = [];
  for (const match of template.matchAll(TOKEN)) {
    const [token, name] = match;
    if (token === '{{' || token === '}}') continue;
    if (name === undefined)
      problems.push(`a lone "${token}" at character ${match.index}: write {{ or }} for a literal brace`);
    else if (!placeholders.includes(name))
      problems.push(`unknown placeholder {${name}} (known: ${placeholders.map((known) => `{${known}}`).join(', ')})`);
  }
  return problems;
}

/** The template with its placeholders filled; assumes `templateProblems` found none. */
export function renderTemplate<TName extends string>(template: string, values: Record<TName, string>): string {
  return template.replace(TOKEN, (token, name: string | undefined) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    return name !== undefined && Object.hasOwn(values, name) ? values[name as TName] : token;
  });
}

/** A config field holding a template over these placeholders, checked when the stream is saved. */
export const textTemplate = (placeholders: readonly string[], maxLength: number) =>
  z
    .string()
    .min(1)
    .max(maxLength)
    .superRefine((template, ctx) => {
      for (const problem of templateProblems(template, placeholders))
        ctx.addIssue({ code: 'custom', message: problem });
    });
