// @ts-check
import tseslint from 'typescript-eslint';

/** Node built-ins and non-workflow SDK packages: the workflow sandbox must never see them. */
const workflowBannedImports = {
  patterns: [
    { group: ['node:*'], message: 'Workflows are deterministic: no Node APIs. Do I/O in an activity.' },
    {
      group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'],
      message: 'Workflows may import only @temporalio/workflow and @temporalio/common.',
    },
    {
      group: ['**/src/**', '**/activities/*', '**/activities/**/*'],
      message: 'Workflows import activities as types only (import type), and nothing from src/.',
      allowTypeImports: true,
    },
  ],
  paths: [
    'fs',
    'path',
    'http',
    'https',
    'net',
    'os',
    'crypto',
    'child_process',
    'stream',
    'timers',
    'worker_threads',
    'dns',
    'zlib',
  ].map((name) => ({
    name,
    message: 'Workflows are deterministic: no Node APIs. Do I/O in an activity.',
  })),
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.cache/**', 'data/**', 'coverage/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Unawaited activity and client calls are the classic Temporal TypeScript bug.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Fastify plugins and handlers are async by contract even when they await nothing.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts', 'schemas/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', workflowBannedImports],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Workflows have no intervals; use sleep() in a loop.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Workflow time comes from the SDK; keep Date.now out of deterministic code.',
        },
        {
          object: 'Math',
          property: 'random',
          message: 'Use uuid4() or the SDK-seeded Math.random only inside workflows.',
        },
      ],
    },
  },
  {
    // Activities do all I/O through the ports they are given (activities/ports.ts); src/ binds them.
    files: ['activities/**/*.ts', 'activities/**/*.mjs'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/**', '**/workflows/**'],
              message:
                'Activities take ports (activities/ports.ts); src/temporal/worker-activities.ts binds them to src/db.',
            },
          ],
        },
      ],
    },
  },
  // Plain-JS tooling scripts are outside the TypeScript project.
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
