import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findProjectRoot, projectRoot } from '../../src/project-root.js';

const sandbox = mkdtempSync(join(tmpdir(), 'newloom-root-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

describe('findProjectRoot', () => {
  it('is the folder of package.json however deep the module sits, as sources or as a compiled bundle', () => {
    writeFileSync(join(sandbox, 'package.json'), '{}');
    mkdirSync(join(sandbox, 'src', 'api', 'routes'), { recursive: true });
    mkdirSync(join(sandbox, 'dist'), { recursive: true });
    expect(findProjectRoot(join(sandbox, 'src', 'api', 'routes', 'console.ts'))).toBe(sandbox);
    expect(findProjectRoot(join(sandbox, 'dist', 'server.mjs'))).toBe(sandbox);
  });

  it('names this project for the modules of this project', () => {
    expect(projectRoot).toBe(fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, ''));
  });

  it('fails clearly where no package.json lies above', () => {
    expect(() => findProjectRoot('/no-such-folder/x.mjs')).toThrow(/no package.json above/);
  });
});
