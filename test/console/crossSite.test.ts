/**
 * A page from another site, open in the same browser as the console, cannot drive kmslite's operator API: not
 * with a form post, not with a no-cors fetch, not by reading answers, not by framing the console, and not
 * through a hostile DNS name that resolves to kmslite (DNS rebinding). Real Chromium; the hostile names resolve
 * to 127.0.0.1 through Chromium's --host-resolver-rules, so no DNS is involved.
 */
import { CreateKeyCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUNDLED_SEED_PATH } from '../../src/server/kmslite.js';
import { kmsClient, startTestKmslite } from '../helpers/kmslite.js';
import type { RunningKmslite } from '../../src/index.js';
import { describeInBrowser, launchBrowser, type ConsoleBrowser } from './browser.js';

jest.setTimeout(60_000);

/** The attacker's page: every way a page can send a request to another origin without the user's help. */
function attackerPage(target: string): string {
  const forms = [
    ['/_kmslite/reset', 'application/x-www-form-urlencoded', 'x', 'y'],
    ['/_kmslite/clock/advance', 'text/plain', '{"days":3,"x":"', '"}'],
    ['/_kmslite/clock/set', 'text/plain', '{"time":"2040-01-01T00:00:00Z","x":"', '"}'],
    ['/moto-api/reset', 'application/x-www-form-urlencoded', 'x', 'y'],
  ];
  const formHtml = forms
    .map(([path, enctype, name, value], index) =>
      `<iframe name="sink${index}"></iframe><form id="f${index}" method="POST" action="${target}${path}" enctype="${enctype}" target="sink${index}"><input name='${name}' value='${value}'></form>`)
    .join('\n');
  return `<!doctype html><html><body>
${formHtml}
<iframe id="framed" src="${target}/_kmslite/console/"></iframe>
<script>
window.results = {};
const target = ${JSON.stringify(target)};
async function attempt(name, run) {
  try { window.results[name] = await run(); } catch (error) { window.results[name] = 'failed: ' + error.name; }
}
(async () => {
  for (const form of document.querySelectorAll('form')) form.submit();
  const simple = (path, body) => fetch(target + path, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body });
  await attempt('reset', () => simple('/_kmslite/reset', '{}').then((r) => r.type));
  await attempt('advance', () => simple('/_kmslite/clock/advance', '{"days":30}').then((r) => r.type));
  await attempt('set', () => simple('/_kmslite/clock/set', '{"time":"2050-01-01T00:00:00Z"}').then((r) => r.type));
  await attempt('simulate', () => simple('/_kmslite/authz/simulate', '{"accessKeyId":"test","operation":"ListKeys"}').then((r) => r.type));
  await attempt('inspect', () => simple('/_kmslite/ciphertext/inspect', '{"ciphertextBlob":"AQA="}').then((r) => r.type));
  await attempt('beacon', () => navigator.sendBeacon(target + '/_kmslite/clock/advance', '{"days":400}'));
  // Reading needs CORS, which kmslite never grants: these must fail.
  await attempt('readKeys', () => fetch(target + '/_kmslite/keys?account=111122223333&region=eu-west-2').then((r) => r.text()));
  await attempt('readState', () => fetch(target + '/_kmslite/state').then((r) => r.text()));
  await attempt('jsonPost', () => fetch(target + '/_kmslite/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status));
  window.done = true;
})();
</script></body></html>`;
}

describeInBrowser('the console and the operator API against a cross-site page', () => {
  let browser: ConsoleBrowser;
  let running: RunningKmslite;
  let attacker: Server;
  let attackerPort: number;

  beforeAll(async () => {
    browser = await launchBrowser(['--host-resolver-rules=MAP attacker.example 127.0.0.1, MAP rebind.example 127.0.0.1']);
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    running = await startTestKmslite({ seedPath: BUNDLED_SEED_PATH });
    attacker = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(attackerPage(running.endpoint));
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerPort = (attacker.address() as AddressInfo).port;
  });
  afterEach(async () => {
    attacker.closeAllConnections();
    await new Promise((resolve) => attacker.close(resolve));
    await running.stop();
  });

  test('a page on another site can neither change kmslite nor read it, nor frame the console', async () => {
    const kms = kmsClient(running);
    const keyId = (await kms.send(new CreateKeyCommand({ Description: 'must survive' }))).KeyMetadata!.KeyId!;
    const page = await browser.context.newPage();
    const answers: { url: string; status: number }[] = [];
    page.on('response', (response) => answers.push({ url: response.url(), status: response.status() }));
    try {
      await page.goto(`http://attacker.example:${attackerPort}/`);
      await page.waitForFunction('window.done === true', undefined, { timeout: 20_000 });
      const results = (await page.evaluate('window.results')) as Record<string, unknown>;
      expect(results.readKeys).toBe('failed: TypeError');
      expect(results.readState).toBe('failed: TypeError');
      expect(results.jsonPost).toBe('failed: TypeError'); // the preflight kmslite never answers
      // Every form post and no-cors request that reached kmslite was refused.
      await page.waitForFunction(`document.querySelectorAll('iframe[name^=sink]').length === 4`);
      const posts = answers.filter((answer) => answer.url.startsWith(running.endpoint) && !answer.url.includes('/_kmslite/console/'));
      for (const path of ['/_kmslite/reset', '/_kmslite/clock/advance', '/_kmslite/clock/set', '/moto-api/reset', '/_kmslite/authz/simulate', '/_kmslite/ciphertext/inspect']) {
        expect(posts.some((answer) => answer.url === `${running.endpoint}${path}`)).toBe(true);
      }
      expect(posts.filter((answer) => answer.status !== 403)).toEqual([]);
      // The framed console never rendered (frame-ancestors 'none', X-Frame-Options: DENY).
      const framed = page.frames().find((frame) => frame.url().startsWith(running.endpoint) && frame.url().includes('/_kmslite/console/'));
      const framedHeading = framed ? await framed.locator('header .brand').count().catch(() => 0) : 0;
      expect(framedHeading).toBe(0);
    } finally {
      await page.close();
    }
    // Nothing changed: the key is there, the clock is real time.
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.Description).toBe('must survive');
    const clock = (await (await fetch(`${running.endpoint}/_kmslite/clock`)).json()) as { offsetMs: number };
    expect(clock.offsetMs).toBe(0);
  });

  test('under a hostile DNS name resolving to kmslite (DNS rebinding) the console and its data are refused', async () => {
    // A rebinding page reaches kmslite under the hostile name, so Host carries that name. (Chromium's own
    // local-network protection would stop the page's fetches first; other browsers have none, so kmslite's Host
    // check is what is tested here: the browser is sent straight to each address under that name.)
    const origin = `http://rebind.example:${running.port}`;
    const page = await browser.context.newPage();
    try {
      for (const path of ['/_kmslite/console/', '/_kmslite/console/app.js', '/_kmslite/keys?account=111122223333&region=eu-west-2', '/_kmslite/stores']) {
        // The refusal is AWS-shaped JSON, which Chromium offers as a download: goto then rejects, so the answer is
        // read from the response event.
        const [response] = await Promise.all([page.waitForResponse(`${origin}${path}`), page.goto(`${origin}${path}`).catch(() => undefined)]);
        expect([path, response.status()]).toEqual([path, 403]);
      }
      expect(await page.content()).not.toContain('bc436485-5092-42b8-92a3-0aa8b93536dc');
    } finally {
      await page.close();
    }
  });
});
