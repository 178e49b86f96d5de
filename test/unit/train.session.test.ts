// The dashboard's training session (src/session/trainingSession.ts) with a real worker, an
// injected sink for the page's messages and a hand-driven frame timer: snapshots are
// coalesced to at most one message per run per frame, the live boundary is the worker's,
// and pause/step/resume are answered by the worker (the run so far, one more step).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { computeBoundary } from '../../src/engine/train/boundary';
import type { TrainingSnapshot } from '../../src/engine/train/snapshot';
import { parseTrainingSpec } from '../../src/engine/train/spec';
import { trainSpec } from '../../src/engine/train/trainer';
import { TrainingSession, type FrameTimer } from '../../src/session/trainingSession';
import type { HostToDashboard } from '../../src/shared/protocol';
import { TrainingRunner } from '../../src/worker/runner';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ai-session-'));
const workerPath = join(dir, 'worker.js');

const raw = (activation: string, steps: number): Record<string, unknown> => ({
  id: activation,
  task: 'binary',
  data: { kind: 'moons', n: 200, noise: 0.1 },
  sizes: [2, 8, 8, 1],
  activation,
  init: { scheme: 'xavier_uniform' },
  optimizer: { kind: 'sgd', lr: 0.1 },
  batch_size: 16,
  steps,
  seed: 3,
});
const request = (activation: string, steps: number): { label: string; spec: ReturnType<typeof parseTrainingSpec>; raw: Record<string, unknown> } => ({
  label: activation,
  spec: parseTrainingSpec(raw(activation, steps)),
  raw: raw(activation, steps),
});

/** A frame timer the test drives: `tick()` runs one frame (if the session asked for frames). */
function manualFrames(): { timer: FrameTimer; tick(): void; inFrame: boolean } {
  let frame: (() => void) | undefined;
  const f = {
    inFrame: false,
    timer: ((fn: () => void) => {
      frame = fn;
      return () => (frame = undefined);
    }) as FrameTimer,
    tick(): void {
      f.inFrame = true;
      try {
        frame?.();
      } finally {
        f.inFrame = false;
      }
    },
  };
  return f;
}

/** Lets the worker's messages in (one pass through the event loop). */
const turn = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

describe('training session (host side of the dashboard)', () => {
  let runner: TrainingRunner;
  before(async function () {
    this.timeout(30000);
    await esbuild.build({ entryPoints: [join(root, 'src/worker/trainingWorker.ts')], outfile: workerPath, bundle: true, platform: 'node', format: 'cjs', target: 'es2022', logLevel: 'error' });
    runner = new TrainingRunner(workerPath);
  });
  after(async () => {
    await runner.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('coalesces snapshots to one message per run per frame; the boundary is the worker’s', async () => {
    const frames = manualFrames();
    const sent: { m: HostToDashboard; frame: number | null }[] = [];
    let frameNo = 0;
    const session = new TrainingSession(runner, (m) => sent.push({ m, frame: frames.inFrame ? frameNo : null }), frames.timer);
    const reqs = [request('relu', 3000), request('tanh', 3000)];
    await session.start(reqs, 'two runs', '');
    while (session.running > 0) {
      await turn();
      frameNo++;
      frames.tick();
    }
    frames.tick();
    const runs = session.snapshot();
    assert.deepEqual(runs.map((r) => r.status), ['done', 'done']);
    const snapMsgs = sent.filter((x): x is { m: Extract<HostToDashboard, { type: 'run/snapshots' }>; frame: number | null } => x.m.type === 'run/snapshots');
    // per frame, at most one snapshot message per run
    const perFrame = new Map<string, number>();
    for (const x of snapMsgs) if (x.frame !== null) perFrame.set(`${x.frame}:${x.m.runId}`, (perFrame.get(`${x.frame}:${x.m.runId}`) ?? 0) + 1);
    assert.ok([...perFrame.values()].every((n) => n === 1), 'one message per run per frame');
    // outside frames, snapshots are only flushed as a run ends: right after its 'done' status,
    // that flush sends every run's pending snapshots
    for (const x of snapMsgs.filter((y) => y.frame === null)) {
      const before = sent.slice(0, sent.indexOf(x)).reverse().find((y) => y.m.type !== 'run/snapshots')?.m;
      assert.ok(before?.type === 'run/status' && before.status === 'done', JSON.stringify(before));
    }
    for (const [i, r] of runs.entries()) {
      const id = r.info.runId;
      const steps = snapMsgs.filter((x) => x.m.runId === id).flatMap((x) => x.m.snapshots.map((s: TrainingSnapshot) => s.step));
      assert.ok(steps.every((s, k) => k === 0 || s > (steps[k - 1] as number)), 'each snapshot once, in order');
      assert.equal(steps[0], 0);
      assert.equal(steps[steps.length - 1], 3000);
      // the same numbers as the in-process trainer
      const ref = trainSpec(reqs[i]?.spec as ReturnType<typeof parseTrainingSpec>);
      assert.deepEqual(r.result?.final_params_flat, ref.final_params_flat);
      // the last boundary sent is the one of the final parameters, drawn by the worker
      const boundaries = snapMsgs.filter((x) => x.m.runId === id && x.m.boundary).map((x) => x.m.boundary);
      assert.ok(boundaries.length >= 1);
      assert.deepEqual(boundaries[boundaries.length - 1], computeBoundary(reqs[i]?.spec as ReturnType<typeof parseTrainingSpec>, ref.final_params_flat));
      assert.deepEqual(r.boundary, boundaries[boundaries.length - 1]);
    }
    await session.dispose();
  });

  it('pause, step and resume are answered by the worker: the run so far, then exactly one more step', async () => {
    const frames = manualFrames();
    const session = new TrainingSession(runner, () => undefined, frames.timer);
    const req = request('relu', 1_000_000);
    await session.start([req], 'long', '');
    const run = (): ReturnType<typeof session.snapshot>[number] => session.snapshot()[0] as ReturnType<typeof session.snapshot>[number];
    while (run().history.length < 3) {
      await turn();
      frames.tick();
    }
    await session.control('pause');
    assert.equal(run().status, 'paused');
    assert.equal(session.running, 0);
    const at = run().result?.loss_per_step.length ?? -1;
    assert.ok(at > 0);
    assert.equal(run().message, `paused at step ${at}`);
    assert.equal(run().history.slice(-1)[0]?.step, at);
    await session.control('step');
    assert.equal(run().result?.loss_per_step.length, at + 1);
    assert.equal(run().message, `paused at step ${at + 1}`);
    assert.equal(run().history.slice(-1)[0]?.step, at + 1);
    // the run so far equals the same spec trained in-process for that many steps
    const ref = trainSpec({ ...req.spec, steps: at + 1 });
    assert.deepEqual(run().result?.loss_per_step, ref.loss_per_step);
    assert.deepEqual(run().result?.final_params_flat, ref.final_params_flat);
    await session.control('resume');
    assert.equal(run().status, 'running');
    while ((run().history.slice(-1)[0]?.step ?? 0) <= at + 1) {
      await turn();
      frames.tick();
    }
    await session.control('stop');
    assert.equal(run().status, 'stopped');
    assert.equal(session.running, 0);
    await session.dispose();
  });
});
