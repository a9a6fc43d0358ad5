// The rule catalogue and exemptFromPolicy live in lib/shared (every domain records its exemptions).
export { EXEMPT_ANNOTATION_PREFIX, exemptFromPolicy, exemptionAnnotations, exemptionsOf, POLICY_RULES, RULE_INFO } from '../shared';
export type { PolicyExemption, PolicyRule } from '../shared';
export * from './rules';
export * from './gate';
