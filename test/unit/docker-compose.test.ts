import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allSearchAttributeKeys } from '../../schemas/temporal-names.js';
import { loadConfig } from '../../src/config.js';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

// No Docker engine runs here, so the compose file is checked against the code it deploys instead.
const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as {
  services: Record<string, ComposeService>;
};

describe('docker-compose.yml', () => {
  it('runs Temporal, a worker and the API', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'temporal', 'worker']);
  });

  it('registers every search attribute the workflows set', () => {
    const command = compose.services.temporal?.command ?? [];
    for (const key of allSearchAttributeKeys) {
      expect(command).toContain(`--search-attribute=${key.name}=Keyword`);
    }
  });

  it('gives the worker and the API environments the config schema accepts', () => {
    for (const name of ['worker', 'api']) {
      const service = compose.services[name];
      expect(service?.depends_on?.temporal?.condition).toBe('service_healthy');
      // Compose fills ${VAR:?message} from the operator's environment (give it a well-formed key) and
      // ${VAR:-} with nothing when the operator has not set it.
      const environment = Object.fromEntries(
        Object.entries(service?.environment ?? {}).map(([name, value]) => [
          name,
          value.startsWith('${') ? (value.includes(':-') ? '' : `admin:${'k'.repeat(32)}`) : value,
        ]),
      );
      const config = loadConfig(environment);
      expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
    }
  });

  it('starts entry points that exist', () => {
    expect(compose.services.worker?.command).toContain('src/worker-main.ts');
    expect(compose.services.api?.command).toContain('src/server.ts');
    for (const entry of ['src/worker-main.ts', 'src/server.ts']) {
      expect(() => readFileSync(new URL(`../../${entry}`, import.meta.url))).not.toThrow();
    }
  });
});
