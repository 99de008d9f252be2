import { processOutput, type CommandContext } from './context.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './main.js';

/** The `newloom` process: Ctrl-C goes to whichever command listens (run --follow), else ends the process. */
const interruptListeners = new Set<() => void>();
process.on('SIGINT', () => {
  if (interruptListeners.size === 0) process.exit(ExitCode.detached);
  for (const listener of [...interruptListeners]) listener();
});

const context: CommandContext = {
  output: processOutput,
  env: process.env,
  onInterrupt(listener) {
    interruptListeners.add(listener);
    return () => interruptListeners.delete(listener);
  },
};

try {
  process.exitCode = await runCli(process.argv.slice(2), context);
} catch (error) {
  process.stderr.write(
    `newloom: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = ExitCode.internal;
}
