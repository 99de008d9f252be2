#!/usr/bin/env node
// The `newloom` command. The CLI is TypeScript run through tsx (a dependency), like the project's
// other scripts; tsImport loads it in this process, so Ctrl-C and the exit code need no relaying.
import { tsImport } from 'tsx/esm/api';

await tsImport('../src/cli/entry.ts', import.meta.url);
