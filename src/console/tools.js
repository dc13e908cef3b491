// Operator tools: the access check (POST /_kmslite/authz/simulate: could this caller make this call on this
// key, and which statement decides), the ciphertext inspector (POST /_kmslite/ciphertext/inspect, reads the blob's header, decrypts
// nothing), kmslite's clock (/_kmslite/clock/*) and reset to the seed (POST /_kmslite/reset). They call the same
// operator endpoints as curl would, as JSON requests.
import { getJson, postJson } from './api.js';
import { h, table, fields, time, code, setStatus } from './dom.js';
import { keyHref } from './keys.js';
import { statementText } from './activity.js';

const ADVANCES = [
  ['+1 hour', { hours: 1 }],
  ['+1 day', { days: 1 }],
  ['+7 days', { days: 7 }],
  ['+30 days', { days: 30 }],
  ['+365 days', { days: 365 }],
];

const OPERATIONS = ['Decrypt', 'Encrypt', 'GenerateDataKey', 'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'Verify', 'GenerateMac', 'DescribeKey', 'GetKeyPolicy',
  'PutKeyPolicy', 'CreateGrant', 'ScheduleKeyDeletion', 'DisableKey', 'EnableKey', 'TagResource', 'CreateAlias', 'RotateKeyOnDemand'];

export async function renderTools(view, context, params) {
  const principals = await getJson('/_kmslite/principals').catch(() => ({ accessControl: 'off', principals: [] }));
  view.append(h('h1', {}, 'Tools'), accessCheck(context, params, principals), inspector(), clock(context), reset(context));
}

function accessCheck(context, params, { accessControl, principals }) {
  const caller = h('input', { id: 'access-caller', type: 'text', list: 'access-callers', value: principals[0]?.AccessKeyId ?? 'test', spellcheck: 'false' });
  const callers = h('datalist', { id: 'access-callers' }, principals.map((principal) => h('option', { value: principal.AccessKeyId }, principal.Arn)));
  const operation = h('input', { id: 'access-operation', type: 'text', list: 'access-operations', value: 'Decrypt' });
  const operations = h('datalist', { id: 'access-operations' }, OPERATIONS.map((name) => h('option', { value: name })));
  const key = h('input', { id: 'access-key', type: 'text', value: params.get('keyId') ?? '', placeholder: 'key id, ARN or alias', spellcheck: 'false' });
  const output = h('div', { id: 'access-result', 'aria-live': 'polite' });
  const run = async (event) => {
    event.preventDefault();
    // ReEncryptFrom / ReEncryptTo are the two checks of ReEncrypt.
    const name = operation.value.trim();
    const body = name.startsWith('ReEncrypt') ? { operation: 'ReEncrypt', action: name } : { operation: name };
    try {
      const answer = await postJson('/_kmslite/authz/simulate', { accessKeyId: caller.value.trim(), keyId: key.value.trim() || undefined, region: context.selection.region, ...body });
      output.replaceChildren(describeDecision(answer));
    } catch (error) {
      output.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message));
    }
  };
  return h('section', { 'aria-labelledby': 'access-title' },
    h('h2', { id: 'access-title' }, 'Access check'),
    h('p', { class: 'small' }, `Could this caller make this call on this key in ${context.selection.account} · ${context.selection.region}, and which policy statement decides? `,
      `Evaluated as a real request would be, without making it (access control is ${accessControl} for real requests). `,
      principals.length ? `${principals.length} declared principals; any other access key acts as its account's root.` : 'No principal is declared: every access key acts as its account\'s root.'),
    h('form', { class: 'inline', onsubmit: run },
      h('label', { for: 'access-caller' }, 'Caller (access key id)'), caller, callers,
      h('label', { for: 'access-operation' }, 'Operation'), operation, operations,
      h('label', { for: 'access-key' }, 'Key'), key,
      h('button', { type: 'submit' }, 'Check')),
    output);
}

function describeDecision(answer) {
  return h('div', {},
    h('p', { class: answer.allowed ? 'allowed' : 'error' }, h('strong', {}, answer.allowed ? 'Allowed' : `Denied (${answer.decision})`), ` for ${answer.principal.arn}`),
    answer.message ? h('p', {}, answer.message) : null,
    table('Checks made', ['Action', 'Resource', 'Decision', 'Deciding statements'], answer.checks.map((check) => [
      check.action, code(check.resource), check.decision,
      check.statements?.length ? check.statements.map(statementText).join('; ') : (check.missing ? `no Allow in the ${check.missing === 'identity' ? 'identity policies' : 'key policy or grants'}` : '—'),
    ])));
}

function inspector() {
  const input = h('textarea', { id: 'inspect-blob', rows: '4', spellcheck: 'false' });
  const output = h('div', { id: 'inspect-result', 'aria-live': 'polite' });
  const run = async () => {
    try {
      output.replaceChildren(describe(await postJson('/_kmslite/ciphertext/inspect', { ciphertextBlob: input.value })));
    } catch (error) {
      output.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message));
    }
  };
  return h('section', { 'aria-labelledby': 'inspector' },
    h('h2', { id: 'inspector' }, 'Ciphertext inspector'),
    h('p', { class: 'small' }, 'Paste a CiphertextBlob (base64) from Encrypt, GenerateDataKey or ReEncrypt: kmslite reads its header and names the key and key material that made it. Nothing is decrypted.'),
    h('label', { for: 'inspect-blob' }, 'Ciphertext (base64)'), input,
    h('div', {}, h('button', { type: 'button', onclick: run }, 'Inspect')),
    output);
}

function describe(answer) {
  if (answer.format === 'unknown') return h('p', { class: 'error' }, answer.message);
  const list = answer.matches.map((match) => [
    `${match.accountId} · ${match.region}`,
    h('a', { href: keyHref(match.accountId, match.region, answer.keyId), class: 'mono' }, answer.keyId),
    match.aliases.length ? match.aliases.join(', ') : '—',
    match.keyState,
    match.keyMaterial
      ? (match.keyMaterial.found
        ? h('span', {}, `${match.keyMaterial.current ? 'current' : 'older'} material #${match.keyMaterial.index + 1}`,
          match.keyMaterial.rotationDate ? h('span', {}, ', current since ', time(match.keyMaterial.rotationDate), ` (${match.keyMaterial.rotationType} rotation)`) : null)
        : 'not held by this key (deleted or imported elsewhere)')
      : `backing key #${answer.backingKeyIndex + 1}`,
  ]);
  return h('div', {},
    fields([
      ['Format', answer.format === 'kmslite-v1' ? 'kmslite, version 1' : 'local-kms'],
      ['Key id', code(answer.keyId)],
      ['Key material id', answer.keyMaterialId ? code(answer.keyMaterialId) : null],
      ['Ciphertext bytes (without header and tag)', String(answer.ciphertextBytes)],
    ]),
    list.length ? table('Keys with this id', ['Account · Region', 'Key', 'Aliases', 'State', 'Key material'], list) : h('p', { class: 'error' }, 'No account or Region of this kmslite holds this key (deleted, or made by another kmslite).'));
}

function clock(context) {
  const now = h('p', { id: 'clock-now' });
  const show = (state) => {
    now.replaceChildren('Now: ', time(state.now), ` — offset from real time: ${state.offsetMs} ms`);
  };
  const act = async (path, body) => {
    try {
      const state = await postJson(path, body);
      show(state);
      await context.refreshHeader();
      setStatus(`Clock: ${state.now}`);
    } catch (error) {
      setStatus(error.message);
    }
  };
  context.refreshClock().then(show, () => {});
  const setInput = h('input', { id: 'clock-set', type: 'text', placeholder: '2030-01-01T00:00:00Z' });
  return h('section', { 'aria-labelledby': 'clock-title' },
    h('h2', { id: 'clock-title' }, 'Clock'),
    h('p', { class: 'small' }, 'kmslite\'s own clock: deletions, rotations and expiries happen when it passes their date.'),
    now,
    h('div', { class: 'buttons', role: 'group', 'aria-label': 'Advance the clock' }, ADVANCES.map(([label, body]) => h('button', { type: 'button', onclick: () => act('/_kmslite/clock/advance', body) }, label))),
    h('form', { class: 'inline', onsubmit: (event) => {
      event.preventDefault();
      act('/_kmslite/clock/set', { time: setInput.value.trim() });
    } }, h('label', { for: 'clock-set' }, 'Set to (ISO 8601)'), setInput, h('button', { type: 'submit' }, 'Set')),
    h('div', {}, h('button', { type: 'button', onclick: () => act('/_kmslite/clock/reset', {}) }, 'Back to real time')));
}

function reset(context) {
  const confirmRow = h('div', { class: 'confirm', hidden: true },
    h('span', {}, 'Every key, alias and grant goes; the seed is applied again. The clock and the audit trail stay.'),
    h('button', { type: 'button', class: 'danger', onclick: async () => {
      try {
        const answer = await postJson('/_kmslite/reset', {});
        setStatus(`Reset: ${answer.seededKeys} seeded keys, ${answer.seededAliases} aliases`);
        await context.refreshHeader();
      } catch (error) {
        setStatus(error.message);
      }
      confirmRow.hidden = true;
    } }, 'Yes, reset'),
    h('button', { type: 'button', onclick: () => { confirmRow.hidden = true; } }, 'Cancel'));
  return h('section', { 'aria-labelledby': 'reset-title' },
    h('h2', { id: 'reset-title' }, 'Reset'),
    h('button', { type: 'button', onclick: () => { confirmRow.hidden = false; confirmRow.querySelector('button').focus(); } }, 'Reset to the seed…'),
    confirmRow);
}
