// The ajv standalone validators for scripts/gen-model.mjs: one per operation input schema
// (src/model/generated/validators.ts) and the seed document's (src/config/generated/seedValidator.ts).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { require, Ajv, standaloneCode, ROOT, HEADER, model, OPS, fail, shape, constraintOverrides } from './model.mjs';

// JSON Schemas and ajv standalone validators.

/**
 * The model's patterns are Java regular expressions: Java's `\s` is ASCII whitespace only ([ \t\n\x0B\f\r]),
 * JavaScript's (with the `u` flag ajv uses) is every Unicode space. Rewrite `\s` (in or outside a character
 * class) to Java's set; messages keep the model's text (shapes.ts `pattern`).
 */
function javaClasses(pattern) {
  const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      i++;
      if (next === 's') out += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
      else out += c + (next ?? '');
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

function schemaFor(name, override) {
  const s = shape(name);
  const min = override?.min ?? s.min;
  const max = override?.max ?? s.max;
  switch (s.type) {
    case 'string': {
      const out = { type: 'string' };
      if (min !== undefined && min > 0) out.minLength = min;
      if (max !== undefined) out.maxLength = max;
      if (s.pattern !== undefined) out.pattern = `^(?:${javaClasses(s.pattern)})$`;
      if (s.enum) out.enum = s.enum;
      return out;
    }
    case 'integer':
    case 'long': {
      const out = { type: 'integer' };
      if (min !== undefined) out.minimum = min;
      if (max !== undefined) out.maximum = max;
      return out;
    }
    case 'boolean':
      return { type: 'boolean' };
    case 'blob': // decoded to a Buffer before ajv runs; byte bounds are checked by the decoder (ShapeDesc)
    case 'timestamp': // decoded to a Date before ajv runs
      return {};
    case 'list': {
      const out = { type: 'array' };
      if (min !== undefined && min > 0) out.minItems = min;
      if (max !== undefined) out.maxItems = max;
      out.items = schemaFor(s.member.shape);
      return out;
    }
    case 'map':
      return { type: 'object', additionalProperties: schemaFor(s.value.shape) };
    case 'structure': {
      // Never additionalProperties: false; the decoder has already dropped unknown members.
      const out = { type: 'object' };
      if (s.required?.length) out.required = s.required;
      out.properties = {};
      for (const [m, ms] of Object.entries(s.members)) out.properties[m] = schemaFor(ms.shape);
      return out;
    }
    default:
      fail(`no schema for ${s.type}`);
  }
}

function operationSchema(op) {
  const name = model.operations[op].input.shape;
  const schema = { $id: op, ...schemaFor(name) };
  for (const m of Object.keys(shape(name).members)) {
    const o = constraintOverrides.get(`${op}.${m}`);
    if (o) schema.properties[m] = schemaFor(shape(name).members[m].shape, o);
  }
  return schema;
}

export function genValidators() {
  const ajv = new Ajv({
    allErrors: true,
    unicodeRegExp: true,
    // Coral (Java) string lengths count UTF-16 code units, which is String.prototype.length; ajv's default
    // counts code points. `unicode: false` is deprecated in ajv 8 but still honoured (and needs no runtime import).
    unicode: false,
    messages: false,
    strict: true,
    code: { source: true, esm: true, lines: true },
    logger: { log() {}, warn: (m) => (/option unicode/.test(String(m)) ? undefined : console.warn(m)), error: console.error },
  });
  for (const op of OPS) ajv.addSchema(operationSchema(op));
  let code = standaloneCode(ajv, Object.fromEntries(OPS.map((op) => [op, op])));
  if (/\brequire\(/.test(code)) {
    fail('ajv standalone output requires a runtime helper (require()); map it to an ESM import before shipping');
  }
  code = code.replace(/^"use strict";/, '');
  return [
    '// @ts-nocheck',
    '/* eslint-disable */',
    HEADER,
    '// ajv standalone validators (ajv ' + require('ajv/package.json').version + '), one per operation input schema.',
    '',
    code.trim(),
    '',
    `export const VALIDATORS = { ${OPS.join(', ')} };`,
  ].join('\n') + '\n';
}

/**
 * The seed document's validator, precompiled like the operation validators so that start-up never loads
 * or compiles ajv (cold start). Not model-derived; it lives in src/config/generated/.
 */
export function genSeedValidator() {
  const schema = JSON.parse(readFileSync(join(ROOT, 'src/config/seed.schema.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: false, strict: false, unicode: false, code: { source: true, esm: true, lines: true }, logger: { log() {}, warn() {}, error: console.error } });
  ajv.addSchema({ $id: 'seed', ...schema });
  let code = standaloneCode(ajv, { validateSeed: 'seed' });
  if (/\brequire\(/.test(code)) fail('ajv standalone seed validator requires a runtime helper; map it to an ESM import');
  code = code.replace(/^"use strict";/, '');
  return ['// @ts-nocheck', '/* eslint-disable */', '// GENERATED by scripts/gen-model.mjs from src/config/seed.schema.json — do not edit', '', code.trim(), ''].join('\n');
}
