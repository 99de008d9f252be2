import { z } from 'zod';
import { taskDefinitions } from '../../schemas/tasks/index.js';

interface JsonSchemaProperty {
  type?: string | string[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  format?: string;
  enum?: unknown[];
  anyOf?: JsonSchemaProperty[];
}

/**
 * docs/tasks.md, generated from the task registry so the docs cannot drift from the code
 * (a unit test compares the committed file with this output; `npm run docs` rewrites it).
 */
export function renderTaskCatalogue(): string {
  const sections = taskDefinitions.map((task) => {
    const schema = z.toJSONSchema(task.configSchema, { io: 'input' }) as {
      properties?: Record<string, JsonSchemaProperty>;
      required?: string[];
    };
    const required = new Set(schema.required ?? []);
    const rows = Object.entries(schema.properties ?? {}).map(([name, property]) => {
      const bounds = [
        property.minimum !== undefined ? `≥ ${property.minimum}` : '',
        property.maximum !== undefined ? `≤ ${property.maximum}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      // A field that takes alternatives (a string or a list) is typed by them, with "or": a pipe would split the table cell.
      const alternatives = property.anyOf?.map((option) => option.type).filter((type) => typeof type === 'string');
      const baseType = alternatives?.length
        ? alternatives.join(' or ')
        : Array.isArray(property.type)
          ? property.type.join(' | ')
          : (property.type ?? 'any');
      const type = [baseType, property.format].filter(Boolean).join(', ');
      const presence = required.has(name)
        ? 'required'
        : property.default === undefined
          ? 'optional'
          : `default \`${JSON.stringify(property.default)}\``;
      return `| \`${name}\` | ${type} | ${presence} | ${bounds || '—'} | ${property.description ?? ''} |`;
    });
    const { retry } = task.activity;
    return [
      `## \`${task.type}\` — ${task.title}`,
      '',
      task.description,
      '',
      '| field | type | presence | bounds | meaning |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      'Example config:',
      '',
      '```json',
      JSON.stringify(task.example, null, 2),
      '```',
      '',
      `Runs with: start-to-close ${task.activity.startToCloseTimeout}, heartbeat ${task.activity.heartbeatTimeout}, ` +
        `schedule-to-close ${task.activity.scheduleToCloseTimeout}; retries up to ${retry.maximumAttempts} attempts, ` +
        `from ${retry.initialInterval} ×${retry.backoffCoefficient} to at most ${retry.maximumInterval}.`,
    ].join('\n');
  });
  return [
    '# Task catalogue',
    '',
    '<!-- Generated from schemas/tasks by `npm run docs`; do not edit by hand. -->',
    '',
    'Every stream has a task type. Its config is validated by the schema below when the stream is created',
    'and again by the workflow before any work starts. `GET /tasks` serves the same catalogue as JSON Schema.',
    '',
    ...sections.flatMap((section) => [section, '']),
  ].join('\n');
}
