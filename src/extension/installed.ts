// Framework versions this workspace is known to run: torch's, reported by the probe's
// interpreter (a probe run returns torch.__version__). Kept in workspace storage, so hovers on
// activations whose behaviour changed between versions say which value applies here.
import * as vscode from 'vscode';
import type { Framework } from '../engine/activations/types';
import { majorMinor } from '../engine/activations/versions';

const KEY = 'activationInspector.installedVersions';
let storage: vscode.Memento | undefined;

/** Where the versions are kept (the workspace's storage); set once at activation. */
export function useInstalledStorage(m: vscode.Memento): void {
  storage = m;
}

/** The versions known so far (none until a probe ran in this workspace). */
export function installedVersions(): Partial<Record<Framework, string>> {
  const v = storage?.get<unknown>(KEY);
  if (typeof v !== 'object' || v === null) return {};
  const torch = (v as Record<string, unknown>).torch;
  return typeof torch === 'string' && isVersion(torch) ? { torch } : {};
}

/** Records a version an interpreter reported; anything that is not "major.minor…" is ignored. */
export async function noteInstalled(framework: 'torch', version: string): Promise<void> {
  if (!storage || !isVersion(version) || installedVersions()[framework] === version) return;
  await storage.update(KEY, { ...installedVersions(), [framework]: version });
}

function isVersion(v: string): boolean {
  return v.length <= 64 && majorMinor(v) !== undefined;
}
