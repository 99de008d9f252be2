// The worker thread's entry. The project runs TypeScript through tsx without a build, and Node 20
// does not carry the parent's `--import tsx` hooks into worker threads, so the thread registers them.
import { register } from 'tsx/esm/api';

register();
await import('./extract-article-thread.ts');
