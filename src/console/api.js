// The operator API as the console uses it: same-origin requests to /_kmslite/, the same endpoints as curl or a
// test would call. Requests that change state are sent as application/json (the operator API refuses them
// otherwise, so no other site's page can send them).

export class ApiError extends Error {
  constructor(status, type, message) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

async function call(method, path, body) {
  const options = { method, headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    options.headers['content-type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(response.status, 'UnreadableAnswer', `${method} ${path} answered ${response.status} with something that is not JSON`);
  }
  if (!response.ok) {
    const type = String(json.__type ?? 'Error').split('#').pop();
    throw new ApiError(response.status, type, `${type}: ${json.message ?? json.Message ?? `HTTP ${response.status}`}`);
  }
  return json;
}

export const getJson = (path) => call('GET', path);
export const postJson = (path, body = {}) => call('POST', path, body);

/** A query string from an object, leaving out empty values. */
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== null && value !== '') search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
