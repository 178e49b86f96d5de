// Typed getters for the extension's settings (`activationInspector.*`). Read on each use,
// so changes apply without a reload.
import * as vscode from 'vscode';
import type { Framework } from '../engine/activations/types';
import type { DetailLevel } from '../render/markdown';

const SECTION = 'activationInspector';

export type HoverLanguage = 'python' | 'javascript' | 'typescript' | 'notebooks';

function cfg(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

/** Whether hovers are on for a language (`activationInspector.hover.python`, …). */
export function hoverEnabled(lang: HoverLanguage, scope?: vscode.ConfigurationScope): boolean {
  return cfg(scope).get<boolean>(`hover.${lang}`, true) !== false;
}

export function hoverDetail(scope?: vscode.ConfigurationScope): DetailLevel {
  const v = cfg(scope).get<string>('hover.detail', 'standard');
  return v === 'compact' || v === 'full' ? v : 'standard';
}

/** Framework a bare string like "relu" means when the file's imports do not say. */
export function defaultStringFramework(scope?: vscode.ConfigurationScope): Framework {
  const v = cfg(scope).get<string>('hover.defaultFramework', 'keras');
  return v === 'torch' || v === 'jax' || v === 'tf' || v === 'tfjs' ? v : 'keras';
}

/** Typeset formulas and draw plots as images (off: text only). */
export function hoverImages(scope?: vscode.ConfigurationScope): boolean {
  return cfg(scope).get<boolean>('hover.images', true) !== false;
}
