// The console's shell: hash routing, the account×Region picker, kmslite's clock in the header, and one timer
// that refreshes the open view every 2 s while the tab is visible (live Activity, keys appearing).
import { getJson } from './api.js';
import { h } from './dom.js';
import { renderKeys, renderKey } from './keys.js';
import { renderActivity } from './activity.js';
import { renderTools } from './tools.js';

const REFRESH_MS = 2000;
const view = document.getElementById('view');
const storeSelect = document.getElementById('store');
const clockLine = document.getElementById('clock');

/** The selected store and what the picker knows. */
const selection = { account: undefined, region: undefined, defaults: undefined, stores: [] };
/** The open view's refresh function, called by the timer; replaced at every navigation. */
let refreshView;
let generation = 0;

function parseRoute() {
  const [path, search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(search) };
}

async function refreshStores() {
  const answer = await getJson('/_kmslite/stores');
  selection.defaults = { account: answer.defaultAccountId, region: answer.defaultRegion };
  selection.account ??= answer.defaultAccountId;
  selection.region ??= answer.defaultRegion;
  const stores = [...answer.stores];
  if (!stores.some((store) => store.accountId === selection.account && store.region === selection.region)) {
    stores.push({ accountId: selection.account, region: selection.region, keys: 0, aliases: 0, pendingDeletion: 0, disabled: 0 });
  }
  stores.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
  selection.stores = stores;
  const options = stores.map((store) =>
    h('option', { value: `${store.accountId}/${store.region}`, selected: store.accountId === selection.account && store.region === selection.region },
      `${store.accountId} · ${store.region} (${store.keys} keys, ${store.aliases} aliases)`));
  // Rebuilding the options while the list is open would close it: only when something changed.
  const signature = options.map((option) => option.value + option.textContent).join('|') + `#${selection.account}/${selection.region}`;
  if (storeSelect.dataset.signature !== signature) {
    storeSelect.replaceChildren(...options);
    storeSelect.dataset.signature = signature;
  }
}

async function refreshClock() {
  const clock = await getJson('/_kmslite/clock');
  const offsetHours = clock.offsetMs / 3_600_000;
  const offset = clock.offsetMs === 0 ? 'real time' : `${offsetHours >= 0 ? '+' : ''}${Math.abs(offsetHours) >= 48 ? `${(offsetHours / 24).toFixed(1)} d` : `${offsetHours.toFixed(2)} h`} from real time`;
  clockLine.textContent = `kmslite clock: ${clock.now.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} (${offset})`;
  return clock;
}

async function route() {
  const mine = ++generation;
  refreshView = undefined;
  const { parts, params } = parseRoute();
  if (params.get('account') && params.get('region')) {
    selection.account = params.get('account');
    selection.region = params.get('region');
  }
  const name = parts[0] ?? 'keys';
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.view === (name === 'key' ? 'keys' : name)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const context = {
    selection,
    isCurrent: () => mine === generation,
    onRefresh: (refresh) => {
      if (mine === generation) refreshView = refresh;
    },
    refreshHeader: () => Promise.all([refreshStores(), refreshClock()]),
    refreshClock,
  };
  try {
    await refreshStores();
    view.replaceChildren();
    if (name === 'key' && parts.length === 4) await renderKey(view, context, parts[1], parts[2], parts[3]);
    else if (name === 'activity') await renderActivity(view, context, params);
    else if (name === 'tools') await renderTools(view, context, params);
    else await renderKeys(view, context, params);
  } catch (error) {
    if (mine === generation) view.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message));
  }
}

storeSelect.addEventListener('change', () => {
  const [account, region] = storeSelect.value.split('/');
  selection.account = account;
  selection.region = region;
  const { parts } = parseRoute();
  const name = parts[0] === 'key' || parts.length === 0 ? 'keys' : parts[0];
  const target = `#/${name}?account=${account}&region=${region}`;
  if (location.hash === target) route();
  else location.hash = target;
});

window.addEventListener('hashchange', () => {
  route().then(() => view.focus({ preventScroll: true }));
});

async function tick() {
  if (document.visibilityState === 'visible') {
    try {
      await Promise.all([refreshStores(), refreshClock(), refreshView?.()]);
    } catch {
      // kmslite stopped or restarted: the next tick tries again; the view keeps what it showed.
    }
  }
  setTimeout(tick, REFRESH_MS);
}

refreshClock().catch(() => {});
route().finally(() => setTimeout(tick, REFRESH_MS));
