import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

export interface ProcessSample {
  rssMb: number;
  /** User + system CPU time the process has used since it started. */
  cpuSeconds: number;
}

/** Resident memory and CPU time of a process, read from /proc; undefined once it has exited. */
export function sampleProcess(pid: number): ProcessSample | undefined {
  try {
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { rssMb: rssKb / 1024, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / clockTicks };
  } catch {
    return undefined;
  }
}

/** The machine's load averages, as every figure should carry them. */
export function loadAverages(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
