import type { RunProgress } from './api-types.js';
import type { Output } from './context.js';

/** `collecting · found 6 · new 4 · dup 0 · attempt 1`, with the last error once a retry is under way. */
export function describeProgress(progress: RunProgress | null): string {
  if (!progress) return 'starting';
  const { counts } = progress;
  const parts = [
    progress.phase,
    `found ${counts.found}`,
    `new ${counts.new}`,
    `dup ${counts.duplicate}`,
    `attempt ${progress.attempt}`,
  ];
  if (progress.lastError && progress.attempt > 1) parts.push(`last error: ${progress.lastError.replace(/\s+/g, ' ')}`);
  return parts.join(' · ');
}

/**
 * The live line on stderr: redrawn in place on a terminal; elsewhere (a pipe, a CI log) one line per
 * change, since carriage returns would pile up unreadably.
 */
export class ProgressLine {
  private shown = '';

  constructor(private readonly output: Output) {}

  update(text: string): void {
    if (text === this.shown) return;
    this.shown = text;
    if (this.output.interactive) {
      const columns = process.stderr.columns || 100;
      this.output.err(`\r\x1b[2K${[...text].slice(0, columns - 1).join('')}`);
    } else {
      this.output.err(`${text}\n`);
    }
  }

  /** Clears the redrawn line so what follows starts at the left margin. */
  finish(): void {
    if (this.output.interactive && this.shown !== '') this.output.err('\r\x1b[2K');
    this.shown = '';
  }
}
