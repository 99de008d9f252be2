import { ApiClient, DEFAULT_API_URL } from './api-client.js';
import type { ExitCode } from './exit-codes.js';

/** Where a command writes: the process's streams in use, buffers in tests. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal: a progress line may be redrawn in place. */
  interactive: boolean;
}

export const processOutput: Output = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
};

export interface CommandContext {
  output: Output;
  env: NodeJS.ProcessEnv;
  /** Ctrl-C: a command that waits (run --follow) listens and decides what it means; nobody listening, the CLI exits. */
  onInterrupt(listener: () => void): () => void;
}

export interface CommandGroup {
  name: string;
  /** One line for `newloom --help`. */
  summary: string;
  usage: string;
  run(args: string[], context: CommandContext): Promise<ExitCode>;
}

export interface GlobalValues {
  'api-url'?: string | undefined;
  'api-key'?: string | undefined;
  json?: boolean | undefined;
}

/** Flags win over the environment, the environment over the default. */
export function apiClientFor(values: GlobalValues, env: NodeJS.ProcessEnv): ApiClient {
  const baseUrl = values['api-url'] ?? (env.NEWLOOM_API_URL?.trim() || DEFAULT_API_URL);
  const apiKey = values['api-key'] ?? (env.NEWLOOM_API_KEY?.trim() || undefined);
  return new ApiClient({ baseUrl, apiKey });
}
