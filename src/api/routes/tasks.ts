import { z } from 'zod';
import { taskDefinitions } from '../../../schemas/tasks/index.js';
import { taskCatalogueResponse } from '../openapi/response-schemas.js';
import type { ApiRoutes } from '../type-provider.js';

/** The task catalogue, derived from the registry: what a client may create a stream of, and how. */
export function describeTasks() {
  return taskDefinitions.map((task) => ({
    type: task.type,
    title: task.title,
    description: task.description,
    produces: task.produces,
    configSchema: z.toJSONSchema(task.configSchema, { io: 'input' }),
    example: task.example,
    defaults: task.activity,
  }));
}

export const taskRoutes: ApiRoutes = async (app) => {
  const catalogue = describeTasks();
  const schema = {
    summary: 'The task catalogue: every task type with its config JSON Schema and an example',
    tags: ['tasks'],
    response: { 200: taskCatalogueResponse },
  };
  app.get('/tasks', { schema }, async () => ({ tasks: catalogue }));
};
