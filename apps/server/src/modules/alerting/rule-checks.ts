import type { RuleSpec } from '@yunwei/contracts/alerting';
import { thresholdProblem } from './reducers.js';

/** Rules of a spec a schema cannot express, as [field under spec, message]. */
export function reduceThresholdsProblem(spec: RuleSpec): [string, string] | null {
  switch (spec.kind) {
    case 'metric':
      if (spec.nOfM && spec.nOfM.n > spec.nOfM.m) {
        return ['nOfM.n', 'must not exceed m'];
      }
      if (spec.reducer === 'percentile' && spec.percentile === undefined) {
        return ['percentile', 'is required with the percentile reducer'];
      }
      return thresholdProblem(spec);
    case 'check':
      if (spec.flapping && spec.flapping.changes >= spec.flapping.window) {
        return ['flapping.changes', 'must be less than the window'];
      }
      return null;
    case 'absent':
    case 'capacity':
    case 'baseline':
      return null;
  }
}
