/**
 * Runtime half of model/overrides.json.
 *
 * The generator bakes the declarative facts into src/model/generated/* (constraint overrides into the ajv
 * schemas, enum display orders into INPUT_SHAPES, blob value rendering into BLOB_VALUE_RENDERING, and the
 * `rules` table into INPUT_RULES). This file interprets the `rules` table: op-specific ValidationException
 * texts that the model cannot express, checked only after the model constraints have passed.
 *
 * To add a rule kind: add it to RULE_KINDS in scripts/gen-model.mjs, to the InputRule type the generator
 * writes, and a checker here. Rules that need key state belong in the operation, not here.
 */
import type { OperationName } from './generated/operations.js';
import { INPUT_RULES, type InputRule } from './generated/shapes.js';

type RuleCheck = (rule: InputRule, input: Readonly<Record<string, unknown>>) => boolean;

/** Per kind: true when the rule is violated. */
const RULE_CHECKS: { readonly [K in InputRule['kind']]: RuleCheck } = {
  required: (rule, input) => input[rule.member] === undefined,
};

/** The message of the first violated rule for this operation, or undefined when all pass. */
export function checkInputRules(
  operation: OperationName,
  input: Readonly<Record<string, unknown>>,
): string | undefined {
  const rules = INPUT_RULES[operation];
  if (rules === undefined) return undefined;
  for (const rule of rules) {
    if (RULE_CHECKS[rule.kind](rule, input)) return rule.message;
  }
  return undefined;
}
