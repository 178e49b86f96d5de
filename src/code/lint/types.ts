// Lint findings and the rule table: each rule has a code (AI001…), a settings key, a
// default severity, a one-line why, and the link (explorer or demo) a diagnostic opens.
// Pure: the VS Code side maps these to Diagnostics, the CLI prints them.

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

/** A text edit as offsets into the scanned text (end exclusive). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface LintFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix VS Code applies with "Fix all"/auto-fix. */
  readonly preferred?: boolean;
}

/** What the diagnostic's code links to: the explorer on one activation, or a demo. */
export type LintTarget =
  | { readonly kind: 'explorer'; readonly id: string; readonly framework?: string }
  | { readonly kind: 'demo'; readonly id: string };

export interface LintFinding {
  readonly code: RuleCode;
  readonly severity: Severity;
  readonly message: string;
  /** Offsets into the scanned text, end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly fixes: readonly LintFix[];
  readonly target?: LintTarget;
}

export type RuleCode = 'AI001' | 'AI002' | 'AI003' | 'AI004' | 'AI005' | 'AI006' | 'AI007' | 'AI008' | 'AI009' | 'AI010';

export interface RuleInfo {
  readonly code: RuleCode;
  /** Settings key: `activationInspector.lint.<key>`. */
  readonly key: string;
  readonly title: string;
  readonly why: string;
  readonly severity: Severity;
  readonly target: LintTarget;
}

export const RULES: Readonly<Record<RuleCode, RuleInfo>> = {
  AI001: {
    code: 'AI001',
    key: 'activationBeforeLogitsLoss',
    title: 'Activation before a loss that expects logits (or log-probabilities)',
    why: 'the loss applies its own softmax/sigmoid, so a second one squashes the outputs and shrinks the gradients; NLLLoss needs log_softmax, not softmax',
    severity: 'warning',
    target: { kind: 'explorer', id: 'softmax', framework: 'torch' },
  },
  AI002: {
    code: 'AI002',
    key: 'reluLookalike',
    title: 'Hand-written ReLU',
    why: "same values as the framework's relu, but a different gradient at exactly 0",
    // advice, not a bug: on public code it was never the cause of a wrong training (docs/lint-precision.md)
    severity: 'information',
    target: { kind: 'explorer', id: 'relu', framework: 'torch' },
  },
  AI003: {
    code: 'AI003',
    key: 'constantInit',
    title: 'Zero or constant weight initialization',
    why: 'every unit of the layer starts identical and receives the same gradient, so they never become different',
    severity: 'warning',
    target: { kind: 'demo', id: 'initialization' },
  },
  AI004: {
    code: 'AI004',
    key: 'deepSaturatingStack',
    title: 'Deep sigmoid/tanh stack without normalization',
    why: "each sigmoid multiplies the gradient by at most 1/4 (tanh by at most 1), so the first layers' gradients vanish",
    severity: 'warning',
    target: { kind: 'demo', id: 'vanishing-gradients' },
  },
  AI005: {
    code: 'AI005',
    key: 'initMismatch',
    title: 'Initializer does not match the activation',
    why: 'Xavier/Glorot assumes a symmetric activation; ReLU zeroes half the signal, so He init keeps the variance; SELU self-normalizes only from LeCun normal',
    severity: 'information',
    target: { kind: 'demo', id: 'initialization' },
  },
  AI006: {
    code: 'AI006',
    key: 'kerasMigration',
    title: 'Changed in Keras 3, or a default that differs between frameworks',
    why: 'Keras 3 renamed or redefined this, or another framework has a different default (JAX GELU), so the same code means something else after an upgrade or a port',
    severity: 'warning',
    target: { kind: 'explorer', id: 'leaky_relu', framework: 'keras' },
  },
  AI007: {
    code: 'AI007',
    key: 'softmaxDim',
    title: 'Softmax without dim',
    why: 'PyTorch guesses the axis from the number of dimensions (deprecated), which is wrong for batched 3-D inputs',
    severity: 'warning',
    target: { kind: 'explorer', id: 'softmax', framework: 'torch' },
  },
  AI008: {
    code: 'AI008',
    key: 'sigmoidIntoBceLoss',
    title: 'Sigmoid output into BCELoss',
    why: "BCELoss takes log of the sigmoid's output: once the sigmoid saturates, the log is clamped at −100 and the gradient of a confidently wrong output is exactly 0; BCEWithLogitsLoss computes the same loss from the logits stably (and works under CUDA autocast, where BCELoss is refused)",
    severity: 'information',
    target: { kind: 'explorer', id: 'sigmoid', framework: 'torch' },
  },
  AI009: {
    code: 'AI009',
    key: 'bceUnderAutocast',
    title: 'BCELoss under CUDA autocast',
    why: 'PyTorch refuses F.binary_cross_entropy / nn.BCELoss inside a CUDA autocast region with a RuntimeError ("unsafe to autocast"); BCEWithLogitsLoss on the logits is allowed and runs in float32',
    severity: 'information',
    target: { kind: 'explorer', id: 'sigmoid', framework: 'torch' },
  },
  AI010: {
    code: 'AI010',
    key: 'float16Overflow',
    title: 'Activation that overflows in float16',
    why: 'written as several ops, the activation stores an intermediate such as exp(x) in float16, which overflows to inf beyond 65504 (exp(x) for x ≥ 11.09) although the result would fit; the library function (F.softplus, torch.sigmoid…) computes it without overflow',
    severity: 'information',
    target: { kind: 'explorer', id: 'softplus', framework: 'torch' },
  },
};

export const RULE_CODES = Object.keys(RULES) as RuleCode[];

/** Severity per rule code after settings; 'off' drops the rule. */
export type SeverityOverrides = Partial<Record<RuleCode, SeveritySetting>>;

export function isSeveritySetting(s: unknown): s is SeveritySetting {
  return s === 'error' || s === 'warning' || s === 'information' || s === 'hint' || s === 'off';
}
