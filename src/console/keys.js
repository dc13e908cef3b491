// Keys of one account×Region (filter, sort) and one key's details. Reads GET /_kmslite/keys and
// GET /_kmslite/keys/<account>/<region>/<keyId>; neither ever carries key material.
import { getJson, query } from './api.js';
import { h, table, fields, time, code, copyable, stateBadge } from './dom.js';
import { eventRows, EVENT_HEADERS } from './activity.js';

const COLUMNS = [
  { name: 'Aliases', value: (key) => key.aliases.join(', ') },
  { name: 'Key ID', value: (key) => key.keyId },
  { name: 'State', value: (key) => key.keyState },
  { name: 'Key spec', value: (key) => key.keySpec },
  { name: 'Usage', value: (key) => key.keyUsage },
  { name: 'Origin', value: (key) => key.origin },
  { name: 'Manager', value: (key) => (key.keyManager === 'AWS' ? 'AWS' : 'Customer') },
  { name: 'Multi-Region', value: (key) => key.multiRegionRole ?? '' },
  { name: 'Created', value: (key) => key.creationDate },
];

export function keyHref(account, region, keyId) {
  return `#/key/${encodeURIComponent(account)}/${encodeURIComponent(region)}/${encodeURIComponent(keyId)}`;
}

export async function renderKeys(view, context, params) {
  const { account, region } = context.selection;
  const sort = { column: 'Created', ascending: true };
  let keys = [];
  let signature = '';

  const filterInput = h('input', { type: 'search', id: 'key-filter', value: params.get('filter') ?? '', placeholder: 'alias, id, description, state…' });
  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const holder = h('div');
  view.append(
    h('h1', {}, 'Keys'),
    h('p', { class: 'where' }, `Account ${account}, Region ${region}`),
    h('div', { class: 'toolbar' }, h('label', { for: 'key-filter' }, 'Filter keys'), filterInput),
    summary,
    holder,
  );
  filterInput.addEventListener('input', draw);

  function draw() {
    const needle = filterInput.value.trim().toLowerCase();
    const shown = keys.filter((key) =>
      !needle || [key.keyId, key.arn, key.description, key.keyState, key.keySpec, key.keyUsage, ...key.aliases].some((text) => String(text).toLowerCase().includes(needle)));
    const column = COLUMNS.find((candidate) => candidate.name === sort.column);
    shown.sort((a, b) => String(column.value(a)).localeCompare(String(column.value(b))) * (sort.ascending ? 1 : -1));
    const pending = keys.filter((key) => key.keyState.startsWith('Pending') && key.keyState.includes('Deletion')).length;
    const disabled = keys.filter((key) => key.keyState === 'Disabled').length;
    summary.textContent = `${keys.length} keys (${shown.length} shown); ${pending} pending deletion, ${disabled} disabled`;
    const header = COLUMNS.map((candidate) => {
      const active = candidate.name === sort.column;
      const button = h('button', { type: 'button', class: 'sort', onclick: () => {
        sort.ascending = active ? !sort.ascending : true;
        sort.column = candidate.name;
        draw();
        holder.querySelector(`th[data-column="${candidate.name}"] button`)?.focus();
      } }, candidate.name);
      return h('th', { scope: 'col', 'data-column': candidate.name, 'aria-sort': active ? (sort.ascending ? 'ascending' : 'descending') : null }, button);
    });
    const rows = shown.map((key) =>
      h('tr', { class: `key-row state-${key.keyState}`, 'data-key-id': key.keyId },
        h('td', {}, key.aliases.length ? key.aliases.join(', ') : '—'),
        h('td', {}, h('a', { href: keyHref(account, region, key.keyId), class: 'mono' }, key.keyId)),
        h('td', {}, stateBadge(key.keyState), key.deletionDate ? h('div', { class: 'small' }, 'deleted at ', time(key.deletionDate)) : null),
        h('td', {}, key.keySpec),
        h('td', {}, key.keyUsage),
        h('td', {}, key.origin),
        h('td', {}, key.keyManager === 'AWS' ? 'AWS' : 'Customer'),
        h('td', {}, key.multiRegionRole ?? '—'),
        h('td', {}, time(key.creationDate))));
    holder.replaceChildren(
      shown.length === 0
        ? h('p', { class: 'empty' }, keys.length === 0 ? 'No keys in this account and Region.' : 'No key matches the filter.')
        : h('div', { class: 'table-wrap' }, h('table', { id: 'keys' }, h('caption', {}, `Keys in ${account} · ${region}`), h('thead', {}, h('tr', {}, header)), h('tbody', {}, rows))),
    );
  }

  async function load() {
    const answer = await getJson(`/_kmslite/keys${query({ account, region })}`);
    const next = JSON.stringify(answer.keys);
    if (next === signature || !context.isCurrent()) return;
    signature = next;
    keys = answer.keys;
    draw();
  }
  await load();
  context.onRefresh(load);
}

export async function renderKey(view, context, account, region, keyId) {
  const key = await getJson(`/_kmslite/keys/${encodeURIComponent(account)}/${encodeURIComponent(region)}/${encodeURIComponent(keyId)}`);
  const metadata = key.metadata;
  let policyText = key.policy;
  try {
    policyText = JSON.stringify(JSON.parse(key.policy), null, 2);
  } catch {
    // a policy kmslite keeps as given: show it as it is
  }
  const calls = h('div');
  view.append(
    h('p', {}, h('a', { href: `#/keys?account=${account}&region=${region}` }, `← Keys of ${account} · ${region}`)),
    h('h1', {}, 'Key ', h('span', { class: 'mono' }, metadata.KeyId)),
    h('p', {}, stateBadge(metadata.KeyState), ' ', key.aliases.map((alias) => alias.aliasName).join(', '), ' · ',
      h('a', { href: `#/tools?account=${account}&region=${region}&keyId=${encodeURIComponent(metadata.KeyId)}` }, 'Check who can use this key')),
    h('section', { 'aria-labelledby': 'general' },
      h('h2', { id: 'general' }, 'General'),
      fields([
        ['ARN', code(metadata.Arn)],
        ['Description', metadata.Description || '—'],
        ['State', metadata.KeyState],
        ['Created', time(metadata.CreationDate)],
        ['Deletion date', metadata.DeletionDate ? time(metadata.DeletionDate) : null],
        ['Key spec', metadata.KeySpec],
        ['Key usage', metadata.KeyUsage],
        ['Origin', metadata.Origin],
        ['Key manager', metadata.KeyManager],
        ['Multi-Region', metadata.MultiRegionConfiguration ? `${metadata.MultiRegionConfiguration.MultiRegionKeyType} (primary in ${metadata.MultiRegionConfiguration.PrimaryKey.Region})` : String(metadata.MultiRegion)],
        ['Current key material', metadata.CurrentKeyMaterialId ? code(metadata.CurrentKeyMaterialId) : null],
        ['Last use', key.lastUse ? h('span', {}, `${key.lastUse.operation} at `, time(key.lastUse.timestamp)) : 'not used since kmslite started tracking'],
      ]),
      h('details', {}, h('summary', {}, 'Full KeyMetadata (DescribeKey)'), h('pre', { class: 'json' }, JSON.stringify(metadata, null, 2)))),
    h('section', { 'aria-labelledby': 'policy' }, h('h2', { id: 'policy' }, 'Key policy'), copyable('policy', policyText)),
    h('section', { 'aria-labelledby': 'aliases' }, h('h2', { id: 'aliases' }, 'Aliases'),
      key.aliases.length ? table('Aliases', ['Alias', 'ARN', 'Created'], key.aliases.map((alias) => [alias.aliasName, code(alias.aliasArn), time(alias.creationDate)])) : h('p', {}, 'No alias.')),
    h('section', { 'aria-labelledby': 'tags' }, h('h2', { id: 'tags' }, 'Tags'),
      key.tags.length ? table('Tags', ['Key', 'Value'], key.tags.map((tag) => [tag.TagKey, tag.TagValue])) : h('p', {}, 'No tag.')),
    h('section', { 'aria-labelledby': 'rotation' }, h('h2', { id: 'rotation' }, 'Rotation'),
      fields([
        ['Automatic rotation', key.rotation.enabled ? `enabled, every ${key.rotation.periodInDays} days` : 'disabled'],
        ['Next rotation', key.rotation.nextRotationDate ? time(key.rotation.nextRotationDate) : null],
        ['On-demand rotations', String(key.rotation.onDemandRotations)],
        ['On-demand rotation in progress since', key.rotation.onDemandRotationStartDate ? time(key.rotation.onDemandRotationStartDate) : null],
      ]),
      key.rotations.length
        ? table('Rotation history (ListKeyRotations)', ['Date', 'Type', 'Key material id'], key.rotations.map((rotation) => [time(rotation.rotationDate), rotation.rotationType, code(rotation.keyMaterialId)]))
        : h('p', {}, 'Never rotated.')),
    h('section', { 'aria-labelledby': 'grants' }, h('h2', { id: 'grants' }, 'Grants'),
      key.grants.length
        ? table('Grants', ['Name', 'Grant id', 'Grantee', 'Retiring principal', 'Operations', 'Constraints', 'Created'], key.grants.map((grant) => [
          grant.Name ?? '—', code(grant.GrantId), grant.GranteePrincipal, grant.RetiringPrincipal ?? '—', grant.Operations.join(', '),
          grant.Constraints ? h('pre', { class: 'json' }, JSON.stringify(grant.Constraints, null, 2)) : '—', time(grant.CreationDate)]))
        : h('p', {}, 'No grant.')),
    h('section', { 'aria-labelledby': 'material' }, h('h2', { id: 'material' }, 'Key material'),
      h('p', { class: 'small' }, 'Identifiers only: the console never asks for key material.'),
      table('Key material', ['Key material id', 'Current', 'Became current', 'Import state', 'Expires'], key.keyMaterials.map((material) => [
        code(material.keyMaterialId), material.current ? 'yes' : 'no', material.rotationDate ? h('span', {}, time(material.rotationDate), ` (${material.rotationType})`) : 'at creation',
        material.importState ?? '—', material.validTo ? time(material.validTo) : material.expirationModel ?? '—']))),
    key.publicKeyPem ? h('section', { 'aria-labelledby': 'public-key' }, h('h2', { id: 'public-key' }, 'Public key'), copyable('public key', key.publicKeyPem)) : null,
    h('section', { 'aria-labelledby': 'calls' }, h('h2', { id: 'calls' }, 'Recent calls'), calls),
  );

  let signature = '';
  async function loadCalls() {
    const answer = await getJson(`/_kmslite/audit${query({ account, region, keyId: metadata.KeyId, limit: 25, explain: 'true' })}`);
    const events = answer.events.reverse();
    const next = events.map((event) => event.eventID).join();
    if (next === signature || !context.isCurrent()) return;
    signature = next;
    calls.replaceChildren(events.length ? table(`Calls naming this key, newest first`, EVENT_HEADERS, eventRows(events, { linkKeys: false })) : h('p', {}, 'No call yet.'));
  }
  await loadCalls();
  context.onRefresh(loadCalls);
}
