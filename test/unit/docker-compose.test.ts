import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import {
  ACTIVITY_PROCESS_OLD_SPACE_MB,
  entryPointSources,
  nodeArgumentsFor,
} from '../../src/process/compiled-entry-points.js';

interface ComposeService {
  image?: string;
  build?: { context: string; target: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
}

// No Docker engine runs here, so the compose file and the Dockerfile are checked against the code they deploy.
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`no service ${name}`);
  return found;
};
const dockerfile = read('Dockerfile');
/** The Dockerfile's stages by name, each with its own lines. */
const stages = Object.fromEntries(
  dockerfile
    .split(/^FROM /m)
    .slice(1)
    .map((stage) => [/ AS (\S+)/.exec(stage.split('\n')[0] ?? '')?.[1] ?? '', stage]),
);

/** Compose fills ${VAR:?message} from the operator's environment (give it well-formed values) and ${VAR:-} with nothing. */
function resolvedEnvironment(environment: Record<string, string> = {}) {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      value.replace(/\$\{(\w+):([?-])[^}]*\}/g, (_, variable: string, kind: string) =>
        kind === '-' ? '' : variable === 'NEWLOOM_API_KEYS' ? `admin:${'k'.repeat(32)}` : 'secret',
      ),
    ]),
  );
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, Temporal with its UI, a one-shot setup, workers and the API', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'api',
      'postgres',
      'setup',
      'temporal',
      'temporal-ui',
      'worker',
    ]);
    expect(service('temporal').image).toMatch(/^temporalio\/(auto-setup|server):\d+\.\d+\.\d+$/);
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(service('postgres').image).toMatch(/^postgres:\d+/);
  });

  it('publishes only the API on every interface; Temporal answers on the host loopback only', () => {
    for (const [name, { ports = [] }] of Object.entries(compose.services)) {
      for (const port of ports) {
        if (name === 'api') expect(port).toBe('3000:3000');
        else expect(port).toMatch(/^127\.0\.0\.1:/);
      }
    }
  });

  it('starts the API and the workers after the setup has completed, and scales workers', () => {
    for (const name of ['api', 'worker'])
      expect(service(name).depends_on?.setup?.condition).toBe('service_completed_successfully');
    expect(service('setup').depends_on?.temporal?.condition).toBe('service_healthy');
    expect(service('setup').depends_on?.postgres?.condition).toBe('service_healthy');
    expect(service('worker').deploy?.replicas).toBeGreaterThanOrEqual(2);
  });

  it('gives every NewLoom process an environment the config schema accepts, on PostgreSQL', () => {
    for (const name of ['setup', 'worker', 'api']) {
      const config = loadConfig(resolvedEnvironment(service(name).environment));
      expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(config.databaseUrl).toMatch(/^postgres:\/\/newloom:secret@postgres:5432\/newloom$/);
    }
    expect(loadConfig(resolvedEnvironment(service('api').environment)).apiKeys).not.toEqual([]);
  });

  it('starts entry points the build compiles, from the image stage that has what they need', () => {
    const compiled = { setup: 'setup-main', worker: 'worker-main', api: 'server' } as const;
    for (const [name, entry] of Object.entries(compiled)) {
      expect(service(name).command).toEqual(['node', ...nodeArgumentsFor(entry), `dist/${entry}.mjs`]);
      expect(() => read(entryPointSources[entry])).not.toThrow();
    }
    expect(stages.build).toContain('scripts/build.ts dist');
    expect(stages.runtime).toContain('COPY --from=build /app/dist ./dist');
    expect(stages.runtime).toContain('CMD ["node", "dist/server.mjs"]');
    expect(stages.worker).toContain(
      `CMD ["node", "--max-old-space-size=${ACTIVITY_PROCESS_OLD_SPACE_MB}", "dist/worker-main.mjs"]`,
    );
    expect(read('scripts/start.sh')).toContain(
      `exec node --max-old-space-size=${ACTIVITY_PROCESS_OLD_SPACE_MB} dist/main.mjs`,
    );
    expect(service('worker').build?.target).toBe('worker');
    expect(service('api').build?.target).toBe('runtime');
  });
});

describe('Dockerfile', () => {
  it('builds in one stage and runs from others as a non-root user, with no compiler in any stage', () => {
    expect(Object.keys(stages)).toEqual(['build', 'runtime', 'worker']);
    // Every native module ships prebuilt (libsql's binaries are npm packages), so nothing compiles.
    for (const name of ['build', 'runtime', 'worker']) {
      expect(stages[name]).not.toMatch(/g\+\+|\bmake\b|python3|build-essential/);
    }
    for (const name of ['runtime', 'worker']) {
      expect(
        stages[name]
          ?.trim()
          .split('\n')
          .filter((line) => line.startsWith('USER '))
          .at(-1),
      ).toBe('USER node');
    }
  });

  it('puts the newloom CLI on the PATH of the images', () => {
    expect(stages.runtime).toContain('COPY --from=build /app/bin ./bin');
    expect(stages.runtime).toContain('ln -s /app/bin/newloom.mjs /usr/local/bin/newloom');
    expect(read('bin/newloom.mjs').startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('prebuilds the workflow bundle the worker stage points at, and gives workers chromium', () => {
    expect(stages.build).toContain('scripts/bundle-workflows.ts dist/workflow-bundle.js');
    expect(() => read('scripts/bundle-workflows.ts')).not.toThrow();
    expect(stages.worker).toMatch(/apt-get install[^\n]*\bchromium\b/);
    expect(stages.worker).toContain('WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js');
    expect(stages.worker).toContain('CHROMIUM_PATH=/usr/bin/chromium');
    const config = loadConfig({
      WORKFLOW_BUNDLE_PATH: '/app/dist/workflow-bundle.js',
      CHROMIUM_PATH: '/usr/bin/chromium',
    });
    expect(config.WORKFLOW_BUNDLE_PATH).toBe('/app/dist/workflow-bundle.js');
  });
});
