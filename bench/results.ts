// Everything one run measured, as the report and the targets read it.
import type { Machine } from './machine.js';
import type { Latency } from './measure.js';
import type { MemoryFigures } from './memory.js';
import type { AnalysisFigures } from './scenarios/analysis.js';
import type { BindFigures } from './scenarios/binds.js';
import type { DashboardFigures } from './scenarios/dashboard.js';
import type { LoadFigures } from './scenarios/load.js';
import type { PathFigures } from './scenarios/paths.js';
import type { PortListFigures } from './scenarios/portList.js';
import type { WhatIfFigures } from './scenarios/whatIf.js';
import type { CloudSize, PathKind } from './synthetic.js';

export interface CloudResults {
  size: CloudSize;
  load: LoadFigures;
  floor: Latency;
  paths: Record<PathKind, PathFigures>;
}

export interface Results {
  machine: Machine;
  quick: boolean;
  seed: number;
  iterations: number;
  warmup: number;
  small: CloudResults;
  big: CloudResults;
  memory: MemoryFigures;
  portList: PortListFigures;
  whatIf: WhatIfFigures;
  analysis: AnalysisFigures;
  binds: BindFigures;
  /** null when Chromium is missing. */
  dashboard: DashboardFigures | null;
  seconds: number;
}
