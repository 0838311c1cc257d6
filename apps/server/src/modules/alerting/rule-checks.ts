import type { RuleSpec } from '@yunwei/contracts/alerting';
import type { RuleProblem } from '../../platform/typed-settings.js';
import { thresholdProblem } from './reducers.js';

/** Rules of a spec a schema cannot express, as [field under spec, message in both languages]. */
export function reduceThresholdsProblem(spec: RuleSpec): RuleProblem | null {
  switch (spec.kind) {
    case 'metric':
      if (spec.nOfM && spec.nOfM.n > spec.nOfM.m) {
        return ['nOfM.n', { zh: '不能大于 m', en: 'must not exceed m' }];
      }
      if (spec.reducer === 'percentile' && spec.percentile === undefined) {
        return ['percentile', { zh: '使用百分位数聚合时必须填写', en: 'is required with the percentile reducer' }];
      }
      return thresholdProblem(spec);
    case 'check':
      if (spec.flapping && spec.flapping.changes >= spec.flapping.window) {
        return ['flapping.changes', { zh: '必须小于统计窗口', en: 'must be less than the window' }];
      }
      return null;
    case 'absent':
    case 'capacity':
    case 'baseline':
      return null;
  }
}
