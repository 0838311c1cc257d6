import { useTranslation } from 'react-i18next';
import {
  FISHBONE_CATEGORY_NAMES,
  PROBLEM_ACTION_NAMES,
  PROBLEM_STATUS_NAMES,
  RISK_ACTION_NAMES,
  RISK_LEVEL_NAMES,
  RISK_SOURCE_NAMES,
  RISK_STATUS_NAMES,
  type FishboneCategory,
  type ProblemAction,
  type ProblemStatus,
  type RiskAction,
  type RiskLevel,
  type RiskSource,
  type RiskStatus,
} from '@yunwei/contracts/incident-problems';
import { localized } from '../incident-meta';

export const PROBLEM_STATUS_COLORS: Record<ProblemStatus, string> = { new: 'blue', analysing: 'processing', known_error: 'orange', resolved: 'green', closed: 'default' };
export const RISK_LEVEL_COLORS: Record<RiskLevel, string> = { critical: '#a8071a', high: '#f5222d', medium: '#fa8c16', low: '#52c41a' };
export const RISK_STATUS_COLORS: Record<RiskStatus, string> = { open: 'red', mitigating: 'processing', closed: 'green', accepted: 'default' };

/** The contract's names of problems and risks in the reader's language. */
export function useProblemNames() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return {
    status: (s: ProblemStatus) => localized(PROBLEM_STATUS_NAMES[s], lang),
    action: (a: ProblemAction) => localized(PROBLEM_ACTION_NAMES[a], lang),
    category: (c: FishboneCategory) => localized(FISHBONE_CATEGORY_NAMES[c], lang),
    riskStatus: (s: RiskStatus) => localized(RISK_STATUS_NAMES[s], lang),
    riskAction: (a: RiskAction) => localized(RISK_ACTION_NAMES[a], lang),
    level: (l: RiskLevel) => localized(RISK_LEVEL_NAMES[l], lang),
    source: (s: RiskSource) => localized(RISK_SOURCE_NAMES[s], lang),
  };
}
