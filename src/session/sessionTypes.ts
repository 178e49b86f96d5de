// The shapes the training session exchanges with the dashboard panel and other callers
// (the "Train this architecture" CodeLens builds RunRequests too).
import type { BoundaryView } from '../engine/train/boundary';
import type { TrainingSnapshot } from '../engine/train/snapshot';
import type { TrainingSpec } from '../engine/train/spec';
import type { FocusChart, RunInfo, RunStatus } from '../shared/protocol';

/** One run to start: the validated spec (what the worker runs), and the JSON it came from (what a reload saves). */
export interface RunRequest {
  readonly label: string;
  readonly spec: TrainingSpec;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Snapshots kept per run across a window reload. */
export const SAVED_HISTORY = 120;

export interface SavedSession {
  readonly title: string;
  readonly lookAt: string;
  readonly focus?: FocusChart;
  readonly runs: readonly {
    readonly info: RunInfo;
    readonly raw: Readonly<Record<string, unknown>>;
    readonly status: RunStatus;
    readonly message: string;
    readonly step: number;
    readonly history: readonly TrainingSnapshot[];
    readonly boundary?: BoundaryView;
  }[];
}

export interface SessionSummary {
  readonly running: number;
  readonly text: string;
}

