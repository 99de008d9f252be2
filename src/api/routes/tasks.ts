import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { taskDefinitions } from '../../../schemas/tasks/index.js';

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

export const taskRoutes: FastifyPluginAsync = async (app) => {
  const catalogue = describeTasks();
  app.get('/tasks', async () => ({ tasks: catalogue }));
};
