// Running the Python side: where the shipped package lives, which interpreter to use, and one
// probe run as a child process in its own process group (a time limit or a cancel kills the
// whole group, including anything the user's code started).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parseProbeResult, type ProbeResult } from './types';

/**
 * The folder to put on PYTHONPATH (it holds `activation_inspector/`): `python/` next to the
 * bundle's folder (dist/cli.js, dist/extension.js → ../python), or the repository's when run
 * from source (src/probe → ../../python).
 */
export function pythonPackageDir(from: string = __dirname): string | undefined {
  for (const d of [resolve(from, '..', 'python'), resolve(from, '..', '..', 'python')]) {
    if (existsSync(join(d, 'activation_inspector', '__init__.py'))) return d;
  }
  return undefined;
}

/** True when `python` runs and imports torch. */
export function canImportTorch(python: string, timeoutMs = 60_000): boolean {
  const r = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: timeoutMs });
  return r.status === 0;
}

/**
 * The interpreter when none is given: each `python3` on PATH in order, then /usr/bin/python3,
 * the first that imports torch; if none does, the first that exists (the probe then reports
 * "no torch" naming it).
 */
export function defaultInterpreter(env: NodeJS.ProcessEnv = process.env): string {
  const seen = new Set<string>();
  const candidates: string[] = [];
  for (const d of (env.PATH ?? '').split(delimiter).filter(Boolean).concat(['/usr/bin'])) {
    const p = join(d, 'python3');
    if (!existsSync(p)) continue;
    let real: string;
    try {
      real = realpathSync(p);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    candidates.push(p);
  }
  for (const p of candidates) if (canImportTorch(p)) return p;
  return candidates[0] ?? 'python3';
}

export interface ProbeRequest {
  readonly python: string;
  readonly file: string;
  readonly model: string;
  readonly inputShape?: string;
  readonly batch?: string;
  readonly criterion?: string;
  readonly seed?: number;
  readonly cwd?: string;
  /** Kill the process group after this long (default 120 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** The folder holding activation_inspector (default: pythonPackageDir()). */
  readonly packageDir?: string;
}

export type ProbeOutcome =
  | { readonly ok: true; readonly result: ProbeResult; readonly stderr: string }
  | {
      readonly ok: false;
      /** One line: "file:line: Type: message", "no torch in …", "timed out …", "cancelled". */
      readonly error: string;
      readonly traceback?: string;
      readonly noTorch?: boolean;
      readonly stderr: string;
    };

/** Runs `python -m activation_inspector probe …` and reads its JSON result. */
export function runProbe(req: ProbeRequest): Promise<ProbeOutcome> {
  const pkg = req.packageDir ?? pythonPackageDir();
  if (!pkg) return Promise.resolve({ ok: false, error: 'the activation_inspector Python package is missing from this installation', stderr: '' });
  const tmp = mkdtempSync(join(tmpdir(), 'ai-probe-'));
  const out = join(tmp, 'result.json');
  const args = ['-m', 'activation_inspector', 'probe', resolve(req.file), '--model', req.model, '--out', out];
  if (req.inputShape !== undefined) args.push('--input-shape', req.inputShape);
  if (req.batch !== undefined) args.push('--batch', req.batch);
  if (req.criterion !== undefined) args.push('--criterion', req.criterion);
  if (req.seed !== undefined) args.push('--seed', String(req.seed));
  const env = { ...process.env, PYTHONPATH: [pkg, process.env.PYTHONPATH].filter(Boolean).join(delimiter), PYTHONDONTWRITEBYTECODE: '1' };
  const timeoutMs = req.timeoutMs ?? 120_000;
  return new Promise((done) => {
    let stderr = '';
    let stopped: string | undefined;
    const finish = (o: ProbeOutcome): void => {
      rmSync(tmp, { recursive: true, force: true });
      done(o);
    };
    const child = spawn(req.python, args, { cwd: req.cwd ?? dirname(resolve(req.file)), env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    const killGroup = (why: string): void => {
      stopped ??= why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => killGroup(`timed out after ${timeoutMs / 1000} s (the probe's time limit); the Python process group was killed`), timeoutMs);
    const onAbort = (): void => killGroup('cancelled');
    req.signal?.addEventListener('abort', onAbort, { once: true });
    if (req.signal?.aborted) onAbort();
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      if (stderr.length < 1_000_000) stderr += s;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      const why = e.code === 'ENOENT' ? 'not found' : e.message;
      finish({ ok: false, error: `cannot run the Python interpreter ${req.python}: ${why}`, noTorch: true, stderr });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      if (stopped) return finish({ ok: false, error: stopped, stderr });
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(out, 'utf8'));
      } catch {
        const last = stderr.trim().split('\n').pop() ?? '';
        return finish({ ok: false, error: `the probe exited with code ${code} and no result${last ? `: ${last}` : ''}`, stderr });
      }
      const o = parsed as Record<string, unknown>;
      if (typeof o.error === 'string') {
        return finish({ ok: false, error: o.error, traceback: typeof o.traceback === 'string' ? o.traceback : undefined, noTorch: o.no_torch === true, stderr });
      }
      try {
        finish({ ok: true, result: parseProbeResult(parsed), stderr });
      } catch (e) {
        finish({ ok: false, error: `unreadable probe result: ${e instanceof Error ? e.message : String(e)}`, stderr });
      }
    });
  });
}
