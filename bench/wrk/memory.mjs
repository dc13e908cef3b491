/**
 * Memory: RSS of kmslite after a long run (the throughput mix, at the default log level, until `requests` have
 * been answered), then idle, and RSS with 10,000 keys (CreateKey through 16 connections) next to an empty one.
 */
import { ENTRY, freePort, processRssBytes, sleep, startKmslite, stopServer } from '../lib/common.mjs';
import { runLoad } from '../lib/runLoad.mjs';
import { runWrk } from './runWrk.mjs';
import { prepareScenarios } from './scenarios.mjs';

/** Runs the scenarios round-robin, `windowS` each, until `requests` are answered. */
export async function longRun(requests, windowS, logLevel = 'info') {
  const port = await freePort();
  const server = await startKmslite({ port, logLevel, entry: ENTRY });
  try {
    const rssStart = processRssBytes(server.pid);
    const { scenarios } = await prepareScenarios(port);
    let answered = 0;
    let errors = 0;
    let rssDuringMax = rssStart;
    const windows = [];
    for (let i = 0; answered < requests; i++) {
      const scenario = scenarios[i % scenarios.length];
      const result = await runWrk(server, scenario.requests, { seconds: windowS });
      answered += result.requests;
      errors += result.errors;
      rssDuringMax = Math.max(rssDuringMax, result.rssDuringMaxBytes);
      windows.push({ scenario: scenario.name, requests: result.requests, reqPerSec: Math.round(result.reqPerSec), rssAfterMiB: +(result.rssAfterBytes / 1048576).toFixed(1) });
    }
    const rssRightAfter = processRssBytes(server.pid);
    await sleep(5000);
    return { logLevel, requests: answered, errors, rssStartBytes: rssStart, rssDuringMaxBytes: rssDuringMax, rssRightAfterBytes: rssRightAfter, rssAfterIdleBytes: processRssBytes(server.pid), windows };
  } finally {
    await stopServer(server);
  }
}

/** RSS of a fresh kmslite, then after `keys` CreateKey calls (and 5 s idle). */
export async function keysRss(keys) {
  const port = await freePort();
  const server = await startKmslite({ port, logLevel: 'info', entry: ENTRY });
  try {
    await sleep(1000);
    const empty = processRssBytes(server.pid);
    const created = await runLoad({ port, serverPid: server.pid, connections: 16, maxRequests: keys, scenario: { kind: 'fixed', requests: [{ operation: 'CreateKey', body: {} }] } });
    if (created.errors) throw new Error(`CreateKey failed: ${created.errorSamples.join(' | ')}`);
    const right = processRssBytes(server.pid);
    await sleep(5000);
    return { keys, createKeyPerSec: Math.round(created.opsPerSec), rssEmptyBytes: empty, rssRightAfterBytes: right, rssAfterIdleBytes: processRssBytes(server.pid) };
  } finally {
    await stopServer(server);
  }
}
