// src/model/generated/audit.ts for scripts/gen-model.mjs (its section comment below says what is kept and why).

import { HEADER, model, overrides, OPS, fail, shape, js } from './model.mjs';

// audit.ts: how a request's input and a response's output are copied into a CloudTrail-shaped audit event
// (src/audit/redact.ts). Names as CloudTrail writes KMS members: java.beans.Introspector.decapitalize
// (`KeyId` → `keyId`, but `AWSAccountId` stays, as in the developer guide's CreateKey event). Left out:
// every blob (plaintexts, ciphertexts, signatures, MACs, key material, public keys, import tokens, attestation
// documents), every model-`sensitive` shape or member, and overrides.json `auditOmit` members.

const auditOmit = { input: new Set(), output: new Set() };
for (const entry of overrides.auditOmit ?? []) {
  if (!entry.source) fail(`overrides.json auditOmit: entry for ${entry.member} has no source`);
  if (!['input', 'output'].includes(entry.side)) fail(`overrides.json auditOmit: side must be input or output`);
  const found = OPS.some((op) => {
    const ref = model.operations[op][entry.side];
    return ref && shape(ref.shape).members[entry.member];
  });
  if (!found) fail(`overrides.json auditOmit: no operation ${entry.side} has a member ${entry.member}`);
  auditOmit[entry.side].add(entry.member);
}

function decapitalize(name) {
  if (name.length > 1 && name[0] === name[0].toUpperCase() && name[1] === name[1].toUpperCase() && /[A-Z]/.test(name[1])) return name;
  return name[0].toLowerCase() + name.slice(1);
}

const auditPlans = new Map(); // shape name -> { code, inline } (structures become named constants)
const auditStructOrder = [];
/** The plan expression for a shape, or null when the whole value is left out. */
function auditPlan(name) {
  const s = shape(name);
  if (s.sensitive || s.type === 'blob') return null;
  switch (s.type) {
    case 'timestamp':
      return '1';
    case 'list': {
      const m = auditPlan(s.member.shape);
      return m === null ? null : `{ kind: 'l', member: ${m} }`;
    }
    case 'map': {
      const v = auditPlan(s.value.shape);
      return v === null ? null : `{ kind: 'm', value: ${v} }`;
    }
    case 'structure':
      auditStruct(name, null);
      return `a_${name}`;
    default:
      return '0';
  }
}
function auditMembers(name, side) {
  const s = shape(name);
  const members = [];
  for (const [m, ms] of Object.entries(s.members)) {
    if (ms.sensitive) continue;
    if (side && auditOmit[side].has(m)) continue;
    const plan = auditPlan(ms.shape);
    if (plan === null) continue;
    members.push(`    { wire: ${js(m)}, name: ${js(decapitalize(m))}, plan: ${plan} },`);
  }
  return members;
}
function auditStruct(name) {
  if (auditPlans.has(name)) return;
  auditPlans.set(name, null); // recursion guard
  const members = auditMembers(name, null);
  auditPlans.set(name, members);
  auditStructOrder.push(name);
}

export function genAudit() {
  const lines = [HEADER, ''];
  lines.push("import type { OperationName } from './operations.js';", '');
  lines.push(
    '/**',
    ' * How one value is copied into an audit event: 0 as it is (string, number, boolean), 1 a timestamp, or a',
    ' * structure / list / map plan. A structure plan lists only the members that may be logged, under their',
    ' * CloudTrail names; everything else (blobs, model-`sensitive` members, overrides.json auditOmit) is left out.',
    ' */',
    'export type AuditPlan = 0 | 1 | AuditStruct | AuditList | AuditMap;',
    '',
    "export interface AuditStruct {",
    "  readonly kind: 's';",
    '  readonly members: readonly AuditMember[];',
    '}',
    '',
    "export interface AuditList {",
    "  readonly kind: 'l';",
    '  readonly member: AuditPlan;',
    '}',
    '',
    "export interface AuditMap {",
    "  readonly kind: 'm';",
    '  readonly value: AuditPlan;',
    '}',
    '',
    'export interface AuditMember {',
    '  /** Wire (model) member name. */',
    '  readonly wire: string;',
    '  /** CloudTrail name (java.beans.Introspector.decapitalize of the wire name). */',
    '  readonly name: string;',
    '  readonly plan: AuditPlan;',
    '}',
    '',
  );
  const inputs = [];
  const outputs = [];
  for (const op of OPS) {
    const o = model.operations[op];
    inputs.push(`  ${op}: { kind: 's', members: [\n${auditMembers(o.input.shape, 'input').map((l) => '  ' + l).join('\n')}\n    ] },`);
    if (o.output) outputs.push(`  ${op}: { kind: 's', members: [\n${auditMembers(o.output.shape, 'output').map((l) => '  ' + l).join('\n')}\n    ] },`);
    else outputs.push(`  ${op}: null,`);
  }
  // Nested structures: named constants, children before parents (auditStructOrder is completion order).
  for (const name of auditStructOrder) {
    lines.push(`const a_${name}: AuditStruct = { kind: 's', members: [`);
    lines.push(...auditPlans.get(name).map((l) => l.replace(/^    /, '  ')));
    lines.push('] };', '');
  }
  lines.push('/** Every operation input: what requestParameters may hold. */');
  lines.push('export const AUDIT_INPUT: { readonly [K in OperationName]: AuditStruct } = {');
  lines.push(...inputs);
  lines.push('};', '');
  lines.push('/** Every operation output: what responseElements may hold; null when the operation answers an empty body. */');
  lines.push('export const AUDIT_OUTPUT: { readonly [K in OperationName]: AuditStruct | null } = {');
  lines.push(...outputs);
  lines.push('};');
  return lines.join('\n').replace(/\[\n\n    \]/g, '[]') + '\n';
}
