import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { getRun, waitFor, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

// The `newloom` bin as a user runs it: a child process, over HTTP to the API of the real stack.
const bin = fileURLToPath(new URL('../../bin/newloom.mjs', import.meta.url));

let stack: TestStack;
let site: FixtureServer;
let apiUrl: string;

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
  apiUrl = await stack.app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

interface CliRun {
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stderrSoFar(): string;
  interrupt(): void;
}

function startCli(args: string[]): CliRun {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, NEWLOOM_API_URL: apiUrl, NEWLOOM_API_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { done, stderrSoFar: () => stderr, interrupt: () => void child.kill('SIGINT') };
}

const cli = (...args: string[]) => startCli(args).done;

/** The run id the CLI announced on stderr (`run <id> of <stream> started`). */
const announcedRunId = (stderr: string) => /run (\S+) of .* started/.exec(stderr)?.[1];

describe('the newloom CLI against the running stack', () => {
  it('adds a stream, runs it to the end with --follow, lists its items as JSON and pauses it', async () => {
    const feedUrl = site.route('/cli/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      fixture: 'feeds/rss2-news.xml',
    });
    const added = await cli(
      'streams',
      'add',
      '--type',
      'rss_feed',
      '--name',
      'cli gazette',
      '--config',
      JSON.stringify({ url: feedUrl }),
    );
    expect(added.code, added.stderr).toBe(ExitCode.ok);
    expect(added.stdout).toMatch(/^added stream \S+ \(cli gazette\): active/);

    const followed = await cli('run', 'cli gazette', '--follow');
    expect(followed.code, followed.stderr).toBe(ExitCode.ok);
    expect(followed.stdout).toMatch(/^status: +completed$/m);
    expect(followed.stdout).toMatch(/^counts: +6 found, 4 new, 0 dup$/m);
    expect(followed.stdout).toContain('Council approves new ferry timetable');
    // Not a terminal: one progress line per change, each with phase, counts and attempt.
    expect(followed.stderr).toMatch(/^\w+ · found \d+ · new \d+ · dup \d+ · attempt \d+$/m);

    const items = await cli('items', '--stream', 'cli gazette', '--json');
    expect(items.code, items.stderr).toBe(ExitCode.ok);
    const listed = JSON.parse(items.stdout) as { title: string | null; runId: string }[];
    expect(listed).toHaveLength(4);
    expect(listed.map((item) => item.title)).toContain('Council approves new ferry timetable');
    expect(new Set(listed.map((item) => item.runId)).size).toBe(1);

    const searched = await cli('items', '--search', 'FERRY', '--json');
    expect((JSON.parse(searched.stdout) as unknown[]).length).toBe(1);

    const paused = await cli('streams', 'pause', 'cli gazette', '--note', 'holiday', '--json');
    expect(paused.code, paused.stderr).toBe(ExitCode.ok);
    expect(JSON.parse(paused.stdout)).toMatchObject({ name: 'cli gazette', status: 'paused', pauseNote: 'holiday' });

    const runs = await cli('runs', 'cli gazette');
    expect(runs.code, runs.stderr).toBe(ExitCode.ok);
    expect(runs.stdout).toMatch(/cli gazette\s+completed\s+manual/);
  });

  it('exits 1 when the run fails, with the error on stdout', async () => {
    const feedUrl = site.route('/cli/gone.xml', { status: 404, body: 'not here' });
    expect(
      (
        await cli(
          'streams',
          'add',
          '--type',
          'rss_feed',
          '--name',
          'cli gone',
          '--config',
          JSON.stringify({ url: feedUrl }),
        )
      ).code,
    ).toBe(0);

    const followed = await cli('run', 'cli gone', '--follow');
    expect(followed.code, followed.stderr).toBe(ExitCode.runFailed);
    expect(followed.stdout).toMatch(/^status: +failed$/m);
    expect(followed.stdout).toMatch(/^error: .*404/m);
  });

  it('cancels the run on Ctrl-C with --cancel-on-exit, and exits 2', async () => {
    const feedUrl = site.route('/cli/held.xml', { hold: true, headers: { 'content-type': 'application/rss+xml' } });
    expect(
      (
        await cli(
          'streams',
          'add',
          '--type',
          'rss_feed',
          '--name',
          'cli held',
          '--config',
          JSON.stringify({ url: feedUrl }),
        )
      ).code,
    ).toBe(0);

    const following = startCli(['run', 'cli held', '--follow', '--cancel-on-exit']);
    await waitFor(() => site.requestsTo('/cli/held.xml')[0], 30_000);
    // The announcement is printed as the CLI starts listening for Ctrl-C: an earlier one would just end it.
    await waitFor(() => announcedRunId(following.stderrSoFar()));
    following.interrupt();
    const result = await following.done;
    expect(result.code, result.stderr).toBe(ExitCode.runCancelled);
    expect(result.stdout).toMatch(/^status: +cancelled$/m);
    const runId = announcedRunId(result.stderr);
    expect((await getRun(stack.app, runId!)).status).toBe('cancelled');
  });

  it('detaches on Ctrl-C without --cancel-on-exit: the run goes on and can be followed again', async () => {
    const feedUrl = site.route('/cli/slow.xml', { hold: true, headers: { 'content-type': 'application/rss+xml' } });
    expect(
      (
        await cli(
          'streams',
          'add',
          '--type',
          'rss_feed',
          '--name',
          'cli slow',
          '--config',
          JSON.stringify({ url: feedUrl }),
        )
      ).code,
    ).toBe(0);

    const following = startCli(['run', 'cli slow', '--follow']);
    await waitFor(() => site.requestsTo('/cli/slow.xml')[0], 30_000);
    const runId = await waitFor(() => announcedRunId(following.stderrSoFar()));
    following.interrupt();
    const detached = await following.done;
    expect(detached.code, detached.stderr).toBe(ExitCode.detached);
    expect(detached.stderr).toContain(`newloom follow ${runId}`);
    expect((await getRun(stack.app, runId)).status).toBe('running');

    const refollowing = startCli(['follow', runId, '--json']);
    const cancelled = await cli('cancel', runId);
    expect(cancelled.code, cancelled.stderr).toBe(ExitCode.ok);
    const result = await refollowing.done;
    expect(result.code, result.stderr).toBe(ExitCode.runCancelled);
    expect(JSON.parse(result.stdout)).toMatchObject({ run: { id: runId, status: 'cancelled' }, items: [] });
    expect((await waitForRunToClose(stack.app, runId)).status).toBe('cancelled');
  });
});
