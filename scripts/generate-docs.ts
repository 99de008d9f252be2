import { writeFileSync } from 'node:fs';
import { renderTaskCatalogue } from '../src/docs/task-catalogue.js';

// Rewrites the generated docs from the code they describe.
writeFileSync(new URL('../docs/tasks.md', import.meta.url), renderTaskCatalogue());
console.log('wrote docs/tasks.md');
