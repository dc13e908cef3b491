// Operator tools: the ciphertext inspector (POST /_kmslite/ciphertext/inspect, reads the blob's header, decrypts
// nothing), kmslite's clock (/_kmslite/clock/*) and reset to the seed (POST /_kmslite/reset). They call the same
// operator endpoints as curl would, as JSON requests.
import { postJson } from './api.js';
import { h, table, fields, time, code, setStatus } from './dom.js';
import { keyHref } from './keys.js';

const ADVANCES = [
  ['+1 hour', { hours: 1 }],
  ['+1 day', { days: 1 }],
  ['+7 days', { days: 7 }],
  ['+30 days', { days: 30 }],
  ['+365 days', { days: 365 }],
];

export async function renderTools(view, context) {
  view.append(h('h1', {}, 'Tools'), inspector(), clock(context), reset(context));
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
