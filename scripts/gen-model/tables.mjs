// The small tables of src/model/generated/ for scripts/gen-model.mjs: operations.ts (names and per-operation
// facts), errors.ts (the modeled exceptions) and enums.ts (every model enum).

import { HEADER, model, shapes, OPS, fail, shape, js } from './model.mjs';

// operations.ts

const errorShapes = Object.keys(shapes).filter((n) => shapes[n].exception);

export function genOperations() {
  const lines = [HEADER, ''];
  lines.push("import type { ModeledErrorName } from './errors.js';", '');
  lines.push('/** The 54 KMS operations, sorted by name (the `X-Amz-Target` suffix after `TrentService.`). */');
  lines.push('export const OPERATION_NAMES = [');
  for (const op of OPS) lines.push(`  ${js(op)},`);
  lines.push('] as const;', '');
  lines.push('export type OperationName = (typeof OPERATION_NAMES)[number];', '');
  lines.push('export interface OperationModel {');
  lines.push('  /** Input structure shape name. */');
  lines.push('  readonly input: string;');
  lines.push('  /** Output structure shape name, or null when the operation answers an empty body. */');
  lines.push('  readonly output: string | null;');
  lines.push('  /** Modeled errors, in model order. */');
  lines.push('  readonly errors: readonly ModeledErrorName[];');
  lines.push('}', '');
  lines.push('export const OPERATIONS: { readonly [K in OperationName]: OperationModel } = {');
  for (const op of OPS) {
    const o = model.operations[op];
    if (!o.input) fail(`${op} has no input shape`);
    const errs = (o.errors ?? []).map((e) => e.shape);
    for (const e of errs) if (!shapes[e]?.exception) fail(`${op}: error ${e} is not an exception shape`);
    lines.push(`  ${op}: {`);
    lines.push(`    input: ${js(o.input.shape)},`);
    lines.push(`    output: ${o.output ? js(o.output.shape) : 'null'},`);
    lines.push(`    errors: [${errs.map(js).join(', ')}],`);
    lines.push('  },');
  }
  lines.push('};', '');
  lines.push('export function isOperationName(name: string): name is OperationName {');
  lines.push('  return Object.prototype.hasOwnProperty.call(OPERATIONS, name);');
  lines.push('}');
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------
// errors.ts

export function genErrors() {
  const lines = [HEADER, ''];
  lines.push(`/** The ${errorShapes.length} modeled KMS exception shapes, in model order. */`);
  lines.push('export const MODELED_ERROR_NAMES = [');
  for (const e of errorShapes) lines.push(`  ${js(e)},`);
  lines.push('] as const;', '');
  lines.push('export type ModeledErrorName = (typeof MODELED_ERROR_NAMES)[number];', '');
  lines.push('/** Exceptions the model marks `fault` (server errors); every other modeled error is a client error. */');
  lines.push('export const SERVER_FAULT_ERRORS = [');
  for (const e of errorShapes.filter((n) => shapes[n].fault)) lines.push(`  ${js(e)},`);
  lines.push('] as const satisfies readonly ModeledErrorName[];', '');
  lines.push('export type ServerFaultErrorName = (typeof SERVER_FAULT_ERRORS)[number];');
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------
// enums.ts

export function genEnums() {
  const lines = [HEADER, ''];
  for (const [name, s] of Object.entries(shapes)) {
    if (!s.enum) continue;
    lines.push(`export const ${name} = [${s.enum.map(js).join(', ')}] as const;`);
    lines.push(`export type ${name} = (typeof ${name})[number];`, '');
  }
  lines.pop();
  return lines.join('\n') + '\n';
}
