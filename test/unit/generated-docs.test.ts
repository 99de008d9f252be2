import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTaskCatalogue } from '../../src/docs/task-catalogue.js';
import { taskDefinitions } from '../../schemas/tasks/index.js';

describe('docs/tasks.md', () => {
  it('is what the task registry generates (run `npm run docs` after changing a task)', () => {
    const committed = readFileSync(new URL('../../docs/tasks.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderTaskCatalogue());
  });

  it('documents every registered task type', () => {
    const catalogue = renderTaskCatalogue();
    for (const task of taskDefinitions) expect(catalogue).toContain(`## \`${task.type}\``);
  });
});
