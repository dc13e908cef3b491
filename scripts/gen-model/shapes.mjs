// src/model/generated/shapes.ts for scripts/gen-model.mjs: the input shape descriptions that
// src/protocol/validation.ts walks and the output codec maps. The longest generator (about 240 lines): one
// walk over the model's shapes, kept whole so the order of the emitted constants stays visible in one place.

import { HEADER, model, overrides, shapes, OPS, fail, shape, lowerFirst, js, SUPPORTED_KINDS, enumDisplay, rulesByOp, blobRendering } from './model.mjs';

// shapes.ts: input descriptions (walked by src/protocol/validation.ts) and output codec maps.

function kindOf(name) {
  const t = shape(name).type;
  if (!SUPPORTED_KINDS.has(t)) fail(`shape ${name} has unsupported type ${t}`);
  return t;
}

const enumText = (values) => `[${values.join(', ')}]`;

function collectInputShapes() {
  const order = []; // children before parents
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const s = shape(name);
    kindOf(name);
    if (s.type === 'list') visit(s.member.shape);
    if (s.type === 'map') {
      visit(s.key.shape);
      visit(s.value.shape);
      const k = shape(s.key.shape);
      if (k.type !== 'string' || k.min !== undefined || k.max !== undefined || k.pattern || k.enum) {
        fail(`map ${name}: constrained map keys are not supported by the validator (extend validation.ts first)`);
      }
      if (s.min !== undefined || s.max !== undefined) fail(`map ${name}: map size constraints not supported`);
    }
    if (s.type === 'structure') for (const m of Object.values(s.members)) visit(m.shape);
    order.push(name);
  };
  for (const op of OPS) visit(model.operations[op].input.shape);
  return order;
}

function descConst(name) {
  return `s_${name}`;
}

function genShapeDesc(name) {
  const s = shape(name);
  const isBlob = s.type === 'blob';
  const members =
    s.type === 'structure'
      ? `[\n${Object.entries(s.members)
          .map(([m, ms]) => `    { name: ${js(m)}, path: ${js(lowerFirst(m))}, shape: ${descConst(ms.shape)}, enumText: null },`)
          .join('\n')}\n  ]`
      : 'null';
  return [
    `const ${descConst(name)}: ShapeDesc = {`,
    `  name: ${js(name)},`,
    `  kind: ${js(s.type)},`,
    `  sensitive: ${s.sensitive === true},`,
    `  minBytes: ${isBlob && s.min !== undefined ? s.min : -1},`,
    `  maxBytes: ${isBlob && s.max !== undefined ? s.max : -1},`,
    `  pattern: ${s.pattern !== undefined ? js(s.pattern) : 'null'},`,
    `  enumText: ${s.enum ? js(enumText(s.enum)) : 'null'},`,
    `  member: ${s.type === 'list' ? descConst(s.member.shape) : 'null'},`,
    `  key: ${s.type === 'map' ? descConst(s.key.shape) : 'null'},`,
    `  value: ${s.type === 'map' ? descConst(s.value.shape) : 'null'},`,
    `  members: ${members},`,
    '};',
  ].join('\n');
}

/** Output side: per shape, the members that need Buffer→base64 or Date→epoch-seconds conversion. */
const outputCodecCache = new Map();
function outputCodec(name) {
  if (outputCodecCache.has(name)) return outputCodecCache.get(name);
  const s = shape(name);
  let codec = null;
  switch (s.type) {
    case 'blob':
      codec = "'blob'";
      break;
    case 'timestamp':
      codec = "'timestamp'";
      break;
    case 'list': {
      const c = outputCodec(s.member.shape);
      codec = c && `{ kind: 'list', member: ${c} }`;
      break;
    }
    case 'map': {
      const c = outputCodec(s.value.shape);
      codec = c && `{ kind: 'map', value: ${c} }`;
      break;
    }
    case 'structure': {
      codec = outputStruct(name) && `{ kind: 'structure', members: ${outStructConst(name)} }`;
      break;
    }
  }
  outputCodecCache.set(name, codec);
  return codec;
}
const outputStructs = new Map(); // name -> body (ordered insertion = dependency order)
function outStructConst(name) {
  return `o_${name}`;
}
function outputStruct(name) {
  if (outputStructs.has(name)) return outputStructs.get(name) !== null;
  const s = shape(name);
  const entries = [];
  for (const [m, ms] of Object.entries(s.members ?? {})) {
    const c = outputCodec(ms.shape);
    if (c) entries.push(`  ${m}: ${c},`);
  }
  const body = entries.length ? entries.join('\n') : null;
  outputStructs.set(name, body);
  return body !== null;
}

export function genShapes() {
  const lines = [HEADER, ''];
  lines.push("import type { OperationName } from './operations.js';", '');
  lines.push(
    "export type ShapeKind = 'string' | 'integer' | 'long' | 'boolean' | 'blob' | 'timestamp' | 'list' | 'map' | 'structure';",
    '',
    '/** One model shape, as the request decoder walks it. Every field is always present (one hidden class). */',
    'export interface ShapeDesc {',
    '  readonly name: string;',
    '  readonly kind: ShapeKind;',
    '  /** Model `sensitive`: ValidationException messages omit the value. */',
    '  readonly sensitive: boolean;',
    '  /** Blobs: byte-length bounds of the decoded bytes (ajv sees no bytes); -1 when unbounded. */',
    '  readonly minBytes: number;',
    '  readonly maxBytes: number;',
    '  /** Strings: the model pattern as written (echoed unanchored in messages). */',
    '  readonly pattern: string | null;',
    '  /** Strings with an enum: `[A, B]` in model order, as printed in messages. */',
    '  readonly enumText: string | null;',
    '  /** Lists: element shape. Maps: key and value shapes. */',
    '  readonly member: ShapeDesc | null;',
    '  readonly key: ShapeDesc | null;',
    '  readonly value: ShapeDesc | null;',
    '  /** Structures: members in declaration order. */',
    '  readonly members: readonly MemberDesc[] | null;',
    '}',
    '',
    'export interface MemberDesc {',
    '  /** Wire name (model member name). */',
    '  readonly name: string;',
    '  /** Name in Coral validation paths (first letter lower-cased). */',
    '  readonly path: string;',
    '  readonly shape: ShapeDesc;',
    '  /** model/overrides.json enumDisplayOrder for this operation member, else null (use shape.enumText). */',
    '  readonly enumText: string | null;',
    '}',
    '',
    '/** Rules from model/overrides.json `rules`, checked after the model constraints pass (src/model/overrides.ts). */',
    "export interface InputRule {",
    "  readonly kind: 'required';",
    '  readonly member: string;',
    '  readonly message: string;',
    '}',
    '',
    "export type OutputCodec =",
    "  | 'blob'",
    "  | 'timestamp'",
    "  | { readonly kind: 'list'; readonly member: OutputCodec }",
    "  | { readonly kind: 'map'; readonly value: OutputCodec }",
    "  | { readonly kind: 'structure'; readonly members: OutputStruct };",
    '',
    '/** Members of an output structure that hold (or contain) a blob or a timestamp; other members pass through. */',
    'export interface OutputStruct {',
    '  readonly [member: string]: OutputCodec;',
    '}',
    '',
    `/** model/overrides.json valueRendering.blob: how a blob value is printed in a ValidationException. */`,
    `export const BLOB_VALUE_RENDERING: 'omit' | 'heapByteBuffer' = ${js(blobRendering)};`,
    '',
  );

  // Operation input structures are emitted inline in INPUT_SHAPES (member-level overrides differ per
  // operation); every other input-reachable shape is one shared constant, children before parents.
  const opInputs = new Set(OPS.map((op) => model.operations[op].input.shape));
  for (const name of collectInputShapes()) {
    if (opInputs.has(name)) {
      const referenced = Object.values(shapes).some((s) =>
        [s.member, s.key, s.value, ...Object.values(s.members ?? {})].some((r) => r?.shape === name),
      );
      if (referenced) fail(`input structure ${name} is also nested in another shape; not supported`);
      continue;
    }
    lines.push(genShapeDesc(name), '');
  }

  // Operation input structures: emitted per operation so member-level overrides (enum display order) apply.
  lines.push('/** Input structure of every operation, members in declaration order. */');
  lines.push('export const INPUT_SHAPES: { readonly [K in OperationName]: ShapeDesc } = {');
  for (const op of OPS) {
    const name = model.operations[op].input.shape;
    const s = shape(name);
    lines.push(`  ${op}: {`);
    lines.push(`    name: ${js(name)},`);
    lines.push("    kind: 'structure',");
    lines.push(`    sensitive: ${s.sensitive === true},`);
    lines.push('    minBytes: -1,', '    maxBytes: -1,', '    pattern: null,', '    enumText: null,');
    lines.push('    member: null,', '    key: null,', '    value: null,');
    lines.push('    members: [');
    for (const [m, ms] of Object.entries(s.members)) {
      const display = enumDisplay.get(`${op}.${m}`);
      lines.push(
        `      { name: ${js(m)}, path: ${js(lowerFirst(m))}, shape: ${descConst(ms.shape)}, enumText: ${
          display ? js(enumText(display)) : 'null'
        } },`,
      );
    }
    lines.push('    ],');
    lines.push('  },');
  }
  lines.push('};', '');

  lines.push('/** Op-specific ValidationException rules that run after the model constraints pass. */');
  lines.push('export const INPUT_RULES: { readonly [K in OperationName]?: readonly InputRule[] } = {');
  for (const op of OPS) {
    const rules = rulesByOp.get(op);
    if (!rules) continue;
    lines.push(`  ${op}: [`);
    for (const r of rules) lines.push(`    { kind: ${js(r.kind)}, member: ${js(r.member)}, message: ${js(r.message)} },`);
    lines.push('  ],');
  }
  lines.push('};', '');

  // Output codecs.
  const perOp = OPS.map((op) => {
    const out = model.operations[op].output;
    return [op, out && outputStruct(out.shape) ? outStructConst(out.shape) : 'null'];
  });
  for (const [name, body] of outputStructs) {
    if (body === null) continue;
    lines.push(`const ${outStructConst(name)}: OutputStruct = {`, body, '};', '');
  }
  lines.push('/** For every operation output: which members (recursively) are blobs or timestamps; null: none. */');
  lines.push('export const OUTPUT_CODECS: { readonly [K in OperationName]: OutputStruct | null } = {');
  for (const [op, c] of perOp) lines.push(`  ${op}: ${c},`);
  lines.push('};');
  return lines.join('\n') + '\n';
}
