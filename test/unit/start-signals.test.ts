// `npm start` stops on SIGINT/SIGTERM sent to any of its processes, npm's own PID included:
// npm forwards those signals to its child, so the scripts run `exec node …` (the child is
// node itself, not a shell that would swallow them). The fixture child installs the same
// cleanup handlers as scripts/start.mjs; the test waits for events, never for time.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** A package whose "start" is the real one with the fixture child in place of start.mjs. */
function fixturePackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ai-signals-'));
  const start = pkg.scripts.start as string;
  assert.match(start, /scripts\/start\.mjs/);
  const child = join(ROOT, 'test', 'fixtures', 'signals', 'child.mjs');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'signals', version: '1.0.0', private: true, scripts: { start: start.replace('scripts/start.mjs', JSON.stringify(child)) } }));
  return dir;
}

interface Run {
  readonly npm: ChildProcess;
  readonly childPid: Promise<number>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>;
}

function npmStart(dir: string): Run {
  const npm = spawn('npm', ['start', '--silent'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let ready: (pid: number) => void = () => {};
  const childPid = new Promise<number>((r) => (ready = r));
  npm.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
    const m = /ready (\d+)/.exec(out);
    if (m) ready(Number(m[1]));
  });
  npm.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((r) => npm.on('exit', (code, signal) => r({ code, signal, out })));
  return { npm, childPid, exited };
}

describe('npm start: signals', function () {
  this.timeout(60_000);
  const started: number[] = [];
  afterEach(() => {
    // a failing case must not leave its processes behind
    for (const pid of started.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
  const cases: [NodeJS.Signals, 'npm' | 'child'][] = [
    ['SIGINT', 'npm'],
    ['SIGTERM', 'npm'],
    ['SIGINT', 'child'],
    ['SIGTERM', 'child'],
  ];
  for (const [sig, target] of cases) {
    it(`${sig} to ${target === 'npm' ? "npm's own PID" : 'the node process'} runs the cleanups and ends npm`, async () => {
      const run = npmStart(fixturePackage());
      started.push(run.npm.pid as number);
      const pid = await run.childPid;
      started.push(pid);
      process.kill(target === 'npm' ? (run.npm.pid as number) : pid, sig);
      const r = await run.exited;
      assert.match(r.out, new RegExp(`cleaned up ${pid}`), r.out);
      // the node process is gone (kill(pid, 0) throws ESRCH)
      assert.throws(() => process.kill(pid, 0), /ESRCH/);
    });
  }
});
