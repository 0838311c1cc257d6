export type LevelId = 'L4' | 'L3' | 'L2' | 'L1';
export type FunctionId = '1' | '2' | '3' | '4' | '5';

export interface Named {
  zh: string;
  en: string;
}

export interface Level extends Named {
  id: LevelId;
  training_hours_min: number;
}

export interface StandardFunction extends Named {
  id: FunctionId;
}

export interface Work extends Named {
  /** e.g. "2.1" */
  id: string;
}

export interface Skill extends Named {
  /** e.g. "L3-2.1.3" */
  id: string;
  level: LevelId;
  functionId: FunctionId;
  workId: string;
}

export type WeightTable = Record<string, Record<LevelId, number | null>>;

export interface EligibilityCondition {
  id: string;
  zh: string;
  rule: string;
}

export interface EvaluationRules {
  methods: Record<string, { zh: string; modes: string[]; levels: LevelId[] }>;
  scale: number;
  pass_mark: number;
  ratios: {
    theory_proctors: { max_candidates_per_proctor: number; min_proctors_per_room: number };
    skills_evaluators: { max_candidates_per_evaluator: number; min_evaluators: number; odd: boolean };
    review_committee: { min_members: number; odd: boolean };
  };
  min_duration_minutes: Record<string, Partial<Record<LevelId, number>>>;
}

export interface Standard {
  occupation: { code: string; name: Named; definition: Named };
  levels: Level[];
  functions: StandardFunction[];
  works: Work[];
  skills: Skill[];
  weights: { theory: WeightTable; skills: WeightTable };
  evaluation: EvaluationRules;
  eligibility: Record<LevelId, EligibilityCondition[]>;
}
