// The audit trail (GET /_kmslite/audit), newest first, refreshed every 2 s: filters for account, Region, key,
// operation and errors; a failed call shows its error code, its message and its (redacted) request parameters.
import { getJson, query } from './api.js';
import { h, table, time, code } from './dom.js';

const LIMIT = 200;
export const EVENT_HEADERS = ['Time', 'Operation', 'Account · Region', 'Key', 'Result', 'Caller', 'Request'];

function keyOf(event) {
  const arn = event.resources?.[0]?.ARN;
  if (!arn) return undefined;
  const [, , , region, account, resource] = arn.split(':');
  return { account, region, keyId: resource.replace(/^key\//, '') };
}

/** A statement that decided: where it is (key policy, identity policy, grant) and its Sid or position. */
export function statementText(statement) {
  const where = statement.source === 'key-policy' ? 'key policy' : statement.source.replace(/^identity:/, 'identity policy ').replace(/^grant:/, 'grant ');
  return statement.sid ? `${where}, statement "${statement.sid}"` : statement.index !== undefined ? `${where}, statement #${statement.index + 1}` : where;
}

/**
 * With access control on (`?explain=true`): the decision of a denied call and the statement that decided it; an
 * implicit denial names the policy that lacked an Allow. Nothing for allowed calls (the row says OK).
 */
function accessDecision(explanation) {
  if (!explanation || explanation.decision === 'Allow') return null;
  const text = explanation.decision === 'ExplicitDeny'
    ? `Denied by ${explanation.statements.map(statementText).join('; ') || 'a Deny statement'}`
    : `Implicit deny: no statement in the ${explanation.missing === 'identity' ? 'identity (IAM) policies' : 'key policy or grants'} allows it`;
  return h('div', { class: 'explain' }, `${text} (access control: ${explanation.mode})`);
}

/** One <tr> per event; failed calls are marked (class `failed`) and show their error. */
export function eventRows(events, { linkKeys = true } = {}) {
  return events.map((event) => {
    const key = keyOf(event);
    const failed = event.errorCode !== undefined;
    const result = failed
      ? h('div', { class: 'error-text' }, h('strong', {}, event.errorCode), event.errorMessage ? h('div', {}, event.errorMessage) : null, accessDecision(event.kmslite))
      : h('span', {}, 'OK', accessDecision(event.kmslite));
    const request = h('details', {},
      h('summary', {}, 'Parameters'),
      h('pre', { class: 'json' }, JSON.stringify(event.requestParameters, null, 2)),
      h('p', { class: 'small' }, 'Request id ', code(event.requestID)));
    return h('tr', { class: failed ? 'event failed' : 'event', 'data-event-id': event.eventID },
      h('td', {}, time(event.eventTime)),
      h('td', {}, event.eventName),
      h('td', {}, `${event.recipientAccountId} · ${event.awsRegion}`),
      h('td', {}, key ? (linkKeys ? h('a', { href: `#/key/${key.account}/${key.region}/${encodeURIComponent(key.keyId)}`, class: 'mono' }, key.keyId) : h('span', { class: 'mono' }, key.keyId)) : '—'),
      h('td', {}, result),
      h('td', {}, event.userIdentity?.arn ?? event.userIdentity?.accessKeyId ?? '—'),
      h('td', {}, request));
  });
}

export async function renderActivity(view, context, params) {
  const accounts = [...new Set(context.selection.stores.map((store) => store.accountId))];
  const regions = [...new Set(context.selection.stores.map((store) => store.region))];
  const select = (id, label, values, chosen) =>
    h('label', { for: id }, label, h('select', { id }, h('option', { value: '' }, 'any'), values.map((value) => h('option', { value, selected: value === chosen }, value))));
  const filters = h('form', { class: 'filters', onsubmit: (event) => event.preventDefault() },
    select('activity-account', 'Account', accounts, params.get('account') ?? ''),
    select('activity-region', 'Region', regions, params.get('region') ?? ''),
    h('label', { for: 'activity-key' }, 'Key id or ARN', h('input', { id: 'activity-key', type: 'search', value: params.get('keyId') ?? '' })),
    h('label', { for: 'activity-operation' }, 'Operation', h('input', { id: 'activity-operation', type: 'search', value: params.get('operation') ?? '', placeholder: 'Decrypt' })),
    h('label', { class: 'check', for: 'activity-errors' }, h('input', { id: 'activity-errors', type: 'checkbox', checked: params.get('errors') === 'true' }), 'Errors only'),
    h('label', { class: 'check', for: 'activity-live' }, h('input', { id: 'activity-live', type: 'checkbox', checked: true }), 'Live'));
  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const holder = h('div');
  view.append(h('h1', {}, 'Activity'), filters, summary, holder);

  let signature = '';
  const value = (id) => view.querySelector(`#${id}`).value.trim();
  async function load(force = false) {
    if (!force && !view.querySelector('#activity-live').checked) return;
    const filter = { account: value('activity-account'), region: value('activity-region'), keyId: value('activity-key'), operation: value('activity-operation'), limit: LIMIT, explain: 'true' };
    let events;
    try {
      events = (await getJson(`/_kmslite/audit${query(filter)}`)).events.reverse();
    } catch (error) {
      if (context.isCurrent()) holder.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message));
      signature = '';
      return;
    }
    if (view.querySelector('#activity-errors').checked) events = events.filter((event) => event.errorCode !== undefined);
    const next = JSON.stringify(filter) + view.querySelector('#activity-errors').checked + events.map((event) => event.eventID).join();
    if (next === signature || !context.isCurrent()) return;
    signature = next;
    const failed = events.filter((event) => event.errorCode !== undefined).length;
    summary.textContent = `${events.length} calls shown (the latest ${LIMIT} that match), ${failed} failed`;
    // Rows the user opened stay open when new calls arrive.
    const open = new Set([...holder.querySelectorAll('tr[data-event-id]:has(details[open])')].map((row) => row.dataset.eventId));
    holder.replaceChildren(events.length ? table('Calls, newest first', EVENT_HEADERS, eventRows(events), { id: 'activity' }) : h('p', { class: 'empty' }, 'No call matches.'));
    for (const row of holder.querySelectorAll('tr[data-event-id]')) if (open.has(row.dataset.eventId)) row.querySelector('details').open = true;
  }
  filters.addEventListener('change', () => load(true));
  filters.addEventListener('input', () => load(true));
  await load(true);
  context.onRefresh(load);
}
