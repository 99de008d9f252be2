import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { projectRoot } from '../project-root.js';

/** A NewLoom entry point (`dist/server.mjs`, `src/worker-main.ts`, …) running as a process of its own. */
export interface NewloomProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves when the process has logged `readyMessage`; rejects if it exits first. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  /** SIGTERM and wait (SIGKILL after 20 s); `SIGKILL` kills it as a crashed host would. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts an entry point with `env` on top of this process's environment; its JSON log lines go to
 * `logFile`. Ready is the first log line whose `msg` is `readyMessage` ('API listening…' is Fastify's).
 */
export function startNewloomProcess(options: {
  name: string;
  entry: string;
  /** Node's own arguments, before the entry (`--max-old-space-size=…`). */
  nodeArguments?: string[];
  env: Record<string, string>;
  logFile: string;
  readyMessage: RegExp;
}): NewloomProcess {
  // A compiled entry (`.mjs`, scripts/build.ts) runs as it is; a TypeScript source runs through tsx.
  const args = [
    ...(options.nodeArguments ?? []),
    ...(options.entry.endsWith('.ts') ? ['--import', 'tsx', options.entry] : [options.entry]),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    if (!child.stdout) return reject(new Error(`${options.name} has no stdout`));
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.write(`${line}\n`);
      if (options.readyMessage.test(messageOf(line))) resolve();
    });
    void exited.then((code) =>
      reject(new Error(`${options.name} exited with code ${code} before it was ready (see ${options.logFile})`)),
    );
  });
  ready.catch(() => undefined); // a caller that never awaits ready must not crash the process
  return {
    name: options.name,
    pid: child.pid ?? -1,
    logFile: options.logFile,
    ready,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killTimer);
    },
  };
}

function messageOf(line: string): string {
  try {
    const parsed = JSON.parse(line) as { msg?: unknown };
    return typeof parsed.msg === 'string' ? parsed.msg : '';
  } catch {
    return line;
  }
}
