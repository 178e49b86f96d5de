// Commands that open the explorer: Open Explorer (also the target of hover links, with
// `{id?, framework?, name?, params?}`) and Compare Activations… (quick picks).
import * as vscode from 'vscode';
import { allEntries, getEntry, isElementwise, isFramework, resolve, resolveCanonical } from '../../engine/activations/registry';
import type { Framework, ParamValue } from '../../engine/activations/types';
import { FRAMEWORK_LABELS, FRAMEWORKS } from '../../engine/activations/types';
import { DTYPES, type Dtype, isDtype } from '../../engine/precision/round';
import type { CurveSpec } from '../../shared/protocol';
import { ExplorerPanel } from '../panels/explorerPanel';

export interface OpenExplorerArgs {
  readonly id?: string;
  readonly framework?: string;
  /** The framework's spelling (Keras `LeakyReLU` layer vs `leaky_relu`, different defaults). */
  readonly name?: string;
  /** The framework's own parameter names and values (as written in code), or canonical ones. */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Evaluate in this dtype (float64, float32, bfloat16, float16): hovers in files that show one. */
  readonly dtype?: string;
}

/**
 * Turns command arguments (from hovers or tests) into a curve. Framework parameters are
 * tried first, then canonical ones; an unknown activation throws a user-facing message.
 */
export function curveFromArgs(args: OpenExplorerArgs): CurveSpec {
  const fw: Framework | undefined = args.framework && isFramework(args.framework) ? args.framework : undefined;
  if (args.framework && !fw) throw new Error(`unknown framework "${args.framework}" (expected one of ${FRAMEWORKS.join(', ')})`);
  const entry = args.id ? getEntry(args.id) : undefined;
  if (args.id && !entry) throw new Error(`unknown activation "${args.id}"`);
  let framework: Framework = fw ?? 'torch';
  let name = args.name;
  if (entry) {
    const bs = entry.bindings;
    const b = bs.find((x) => x.framework === framework && (!name || x.names.includes(name))) ?? (fw ? undefined : bs[0]);
    if (!b) throw new Error(`${entry.def.title} has no ${FRAMEWORK_LABELS[framework]} binding`);
    framework = b.framework;
    name = name && b.names.includes(name) ? name : b.names[0];
  }
  if (!name) throw new Error('Open Explorer needs an activation id or name');
  const given = args.params ?? {};
  let params: Record<string, ParamValue>;
  try {
    params = { ...resolve(framework, name, given).params };
  } catch (e) {
    const r = resolve(framework, name, {});
    try {
      params = { ...resolveCanonical(r.entry.def.id, { ...r.params, ...given }, r.conventions).params };
    } catch {
      throw e;
    }
  }
  // Only what differs from the framework's defaults travels (the page fills the rest in).
  const defaults = resolve(framework, name, {});
  for (const [k, v] of Object.entries(params)) if (Object.is(defaults.params[k], v)) delete params[k];
  return { id: defaults.entry.def.id, framework, name, params };
}

export async function openExplorer(extensionUri: vscode.Uri, args?: OpenExplorerArgs): Promise<ExplorerPanel | undefined> {
  let curves: CurveSpec[] = [];
  let dtype: Dtype | undefined;
  if (args && (args.id || args.name)) {
    try {
      curves = [curveFromArgs(args)];
      if (args.dtype !== undefined && !(typeof args.dtype === 'string' && isDtype(args.dtype))) throw new Error(`unknown dtype "${String(args.dtype)}" (expected one of ${DTYPES.join(', ')})`);
      dtype = args.dtype;
    } catch (e) {
      void vscode.window.showErrorMessage(`Activation Inspector: ${(e as Error).message}`);
      return undefined;
    }
  }
  return ExplorerPanel.createOrShow(extensionUri, curves, false, dtype);
}

export interface CompareArgs {
  readonly ids?: readonly string[];
  readonly framework?: string;
}

/** Compare Activations…: pick several activations, then a framework; replaces the explorer's curves. */
export async function compareActivations(extensionUri: vscode.Uri, args?: CompareArgs): Promise<ExplorerPanel | undefined> {
  let ids = args?.ids ? [...args.ids] : undefined;
  if (!ids) {
    const items = allEntries()
      .filter((e) => isElementwise(e.def))
      .map((e) => ({ label: e.def.title, description: e.def.id, detail: e.def.summary, id: e.def.id, picked: e.def.id === 'relu' || e.def.id === 'leaky_relu' }));
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: 'Compare Activations',
      placeHolder: 'Choose the activations to overlay (Space to toggle, Enter to confirm)',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked || picked.length === 0) return undefined;
    ids = picked.map((p) => p.id);
  }
  let fw = args?.framework;
  if (!fw) {
    const counts = (f: Framework): number => ids!.filter((id) => getEntry(id)?.bindings.some((b) => b.framework === f)).length;
    const choice = await vscode.window.showQuickPick(
      FRAMEWORKS.map((f) => ({ label: FRAMEWORK_LABELS[f], description: `${counts(f)} of ${ids!.length} available`, detail: 'Parameters take this framework’s defaults; kinks follow its gradient conventions.', fw: f })),
      { title: 'Compare Activations: framework', placeHolder: 'As which framework defines them?' },
    );
    if (!choice) return undefined;
    fw = choice.fw;
  }
  const curves: CurveSpec[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    try {
      curves.push(curveFromArgs({ id, framework: fw }));
    } catch {
      missing.push(id);
    }
  }
  if (missing.length) void vscode.window.showWarningMessage(`Not available in ${fw}: ${missing.join(', ')}`);
  if (!curves.length) return undefined;
  return ExplorerPanel.createOrShow(extensionUri, curves, true);
}
