import * as vscode from 'vscode';
import { DEFAULT_BUDGET } from '../../core/cost/costSampler.ts';
import { DEFAULT_FREQUENCY_HZ, DEFAULT_WINDOW_S } from '../../core/cost/perfRecordCommand.ts';

export interface CostSettings {
  /** Start sampling by itself when a Click config is linked to a live session. */
  auto: boolean;
  frequencyHz: number;
  windowSeconds: number;
  /** Share of one CPU perf may use for the sampling, 0..1. */
  maxCpuShare: number;
}

export function readCostSettings(): CostSettings {
  const c = vscode.workspace.getConfiguration('vnfLens.elementCost');
  return {
    auto: c.get<boolean>('auto', true),
    frequencyHz: c.get<number>('frequencyHz', DEFAULT_FREQUENCY_HZ),
    windowSeconds: c.get<number>('windowSeconds', DEFAULT_WINDOW_S),
    maxCpuShare: c.get<number>('maxCpuPercent', DEFAULT_BUDGET * 100) / 100,
  };
}
