export { decide, decideAll } from './decide.js';
export { DEFAULT_POLICY } from './defaults.js';
export { globMatches } from './glob.js';
export { guardrailFor } from './guardrails.js';
export { ruleMatches } from './rules.js';
export {
  type Action,
  type Caller,
  type Decision,
  type DecisionContext,
  type GrantScope,
  GUARDRAIL_IDS,
  type GuardrailId,
  type GuardrailTrip,
  STRICT_ONLY_GUARDRAILS,
} from './types.js';
