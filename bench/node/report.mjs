// The node:http bench's Markdown report (printed by bench/run.mjs; docs/contributing/benchmarks.md quotes it), from the
// results object the sections filled.
import { CONNECTIONS, NOISY_PERCENT, TARGETS, MIDDLE_PAGE_LIMIT, fmt, mib } from './settings.mjs';

function throughputRow(row, note = '') {
  const perOp = row.httpRequests > row.ops ? ` (${fmt(row.httpRequestsPerSec, 0)} HTTP req/s)` : '';
  return `| ${row.name}${note} | ${fmt(row.opsPerSec, 0)}${perOp} | ${fmt(row.latencyUs.p50 / 1000, 2)} | ${fmt(row.latencyUs.p99 / 1000, 2)} | ${fmt(row.serverCpuUsPerOp, 1)} | ${fmt(row.serverCpuPercent, 0)}% | ${fmt(row.loadgenCpuPercent, 0)}% | ${fmt(row.otherCpuPercent, 0)}%${row.otherCpuPercent > NOISY_PERCENT ? ' ⚠' : ''} | ${row.errors} |`;
}

export function report(results) {
  const lines = [];
  const m = results.meta;
  lines.push(`## kmslite benchmark — ${m.date}`, '');
  lines.push(`Node ${m.node}, ${m.cpuCount} × ${m.cpuModel}, Linux ${m.kernel}; ${m.connections} keep-alive connections; warm-up ${m.warmupSeconds} s, measured ${m.measureSeconds} s per scenario; load average ${m.loadAverageStart.join(' ')} at start, ${m.loadAverageEnd.join(' ')} at end; kmslite ${m.gitCommit}${m.gitDirty ? ' (+ local changes)' : ''}, server started as \`node ${m.entry} --port <p> --log-level warn --no-seed\`${m.pinned ? '; server on CPU 0, load generator on CPU 1 (taskset)' : ''}.`, '');
  if (results.kmslite || results.ceiling) {
    lines.push('| Scenario | req/s | p50 ms | p99 ms | server CPU µs/req | server CPU | loadgen CPU | other CPU | errors |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const row of results.kmslite ?? []) lines.push(throughputRow(row));
    for (const row of results.ceiling ?? []) lines.push(throughputRow(row));
    for (const row of results.infoLogging ?? []) lines.push(throughputRow(row));
    lines.push('');
    lines.push('Envelope: one op = GenerateDataKey + Decrypt (two HTTP requests); its CPU µs is per envelope. Server CPU = utime+stime of the server process (all threads) over the window; 100% = one core. Other CPU = what the rest of the machine used meanwhile' + ` (⚠ over ${NOISY_PERCENT}%: the row was measured on a busy machine).`, '');
  }
  if (results.percentOfCeiling) {
    for (const [op, v] of Object.entries(results.percentOfCeiling)) {
      const bound = v.ceilingLoadgenCpuPercent >= 90 ? `; the ceiling run was bound by the load generator (${fmt(v.ceilingLoadgenCpuPercent, 0)}% CPU), the bare server used ${fmt(v.ceilingServerCpuPercent, 0)}%` : '';
      const all = results.rounds?.[op]?.length > 1 ? ` [rounds: ${results.rounds[op].map((r) => fmt(r.percent, 1) + '%' + (r.quiet ? '' : ' ⚠')).join(', ')}; median of the quiet ones shown]` : '';
      lines.push(`- ${op}: ${fmt(v.percent, 1)}%${all} of the bare node:http ceiling (${fmt(v.kmslite, 0)} vs ${fmt(v.ceiling, 0)} req/s; server CPU ${fmt(v.kmsliteCpuUs, 1)} vs ${fmt(v.ceilingCpuUs, 1)} µs/req, ${fmt(v.kmsliteCpuUs / v.ceilingCpuUs, 1)}×${bound}) — target ≥ ${TARGETS.percentOfCeiling}%: ${v.percent >= TARGETS.percentOfCeiling ? 'met' : 'MISSED'}`);
    }
    lines.push('');
  }
  if (results.infoLogging && results.kmslite) {
    for (const [i, op] of ['Encrypt', 'Decrypt'].entries()) {
      const warn = results.kmslite[i];
      const info = results.infoLogging[i];
      lines.push(`- ${op} request logging (info): ${fmt(info.opsPerSec, 0)} vs ${fmt(warn.opsPerSec, 0)} req/s (${fmt((info.opsPerSec / warn.opsPerSec - 1) * 100, 1)}%), +${fmt(info.serverCpuUsPerOp - warn.serverCpuUsPerOp, 1)} µs CPU/req`);
    }
    lines.push('');
  }
  if (results.pipeline) {
    const p = results.pipeline;
    lines.push('Pipeline without sockets (`Kmslite.handle`, one call at a time):', '');
    lines.push('| Stage | µs/call |', '|---|---:|');
    for (const [name, label] of [
      ['handleEncrypt', 'handle(Encrypt), whole pipeline'],
      ['verifySigV4', '— verifySigV4 (Encrypt request)'],
      ['jsonParseAndValidate', '— JSON.parse + decodeAndValidate (Encrypt)'],
      ['encryptOperation', '— Encrypt operation'],
      ['encodeOutput', '— encodeOutput (Encrypt answer)'],
      ['handleDecrypt', 'handle(Decrypt)'],
      ['handleGenerateDataKey', 'handle(GenerateDataKey)'],
      ['handleDescribeKey', 'handle(DescribeKey)'],
    ]) {
      if (p[name]) lines.push(`| ${label} | ${fmt(p[name].usPerCall, 2)} |`);
    }
    lines.push('');
  }
  if (results.coldStart) {
    const c = results.coldStart;
    const row = (label, v) => `| ${label} | ${fmt(v.medianMs, 1)} | ${fmt(v.minMs, 1)} | ${fmt(v.maxMs, 1)} |`;
    lines.push(`Cold start (${c.repeats} runs, spawn → first answer; seeded, --log-level warn):`, '', '| Until | median ms | min ms | max ms |', '|---|---:|---:|---:|');
    for (const e of c.entries) {
      lines.push(row(`\`${e.entry}\`: signed ListKeys 200`, e.listKeys));
      lines.push(row(`\`${e.entry}\`: then Encrypt alias/kmslite-default 200`, e.firstEncryptAfterListKeys));
      lines.push(row(`\`${e.entry}\`: GET /_kmslite/health 200 (loads the admin app)`, e.health));
    }
    lines.push(row('bare node:http server (node\'s floor)', c.bareNodeHttp));
    const main = c.entries[0];
    lines.push('', `- target median ≤ ${TARGETS.coldStartMedianMs} ms (\`${main.entry}\`, ListKeys): ${main.listKeys.medianMs <= TARGETS.coldStartMedianMs ? 'met' : 'MISSED'}`, '');
  }
  if (results.memory) {
    const mem = results.memory;
    lines.push(`Memory: RSS ${mib(mem.rssEmptyBytes)} MiB empty, ${mib(mem.rssWithKeysBytes)} MiB with ${mem.keys} keys (≈ ${fmt(mem.bytesPerKey / 1024, 2)} KiB per key; CreateKey at ${fmt(mem.createKeyRatePerSec, 0)}/s).`, '');
  }
  if (results.flatLatency) {
    const [small, large] = results.flatLatency;
    lines.push(`| Flat latency (${CONNECTIONS} connections, medians of ${results.flatLatencyRounds ?? 1} rounds) | ${small.keys} keys: req/s | p50 ms | p99 ms | ${large.keys} keys: req/s | p50 ms | p99 ms | req/s ratio | p99 ratio |`, '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [key, label] of [['listKeysFirstPage', 'ListKeys Limit 100, first page'], ['listKeysMiddlePage', `ListKeys Limit ${MIDDLE_PAGE_LIMIT}, middle page (Marker)`], ['decrypt', 'Decrypt']]) {
      const a = small[key];
      const b = large[key];
      const noisy = (row) => (row.otherCpuPercent > NOISY_PERCENT ? ` ⚠ (other CPU ${fmt(row.otherCpuPercent, 0)}%)` : '');
      lines.push(
        `| ${label} | ${fmt(a.opsPerSec, 0)}${noisy(a)} | ${fmt(a.latencyUs.p50 / 1000, 2)} | ${fmt(a.latencyUs.p99 / 1000, 2)} | ${fmt(b.opsPerSec, 0)}${noisy(b)} | ${fmt(b.latencyUs.p50 / 1000, 2)} | ${fmt(b.latencyUs.p99 / 1000, 2)} | ` +
          `${fmt((b.opsPerSec / a.opsPerSec) * 100, 0)}% | ${fmt((b.latencyUs.p99 / a.latencyUs.p99) * 100, 0)}% |`,
      );
      if (a.rounds) {
        const list = (row) => row.rounds.map((r) => `${fmt(r.opsPerSec, 0)}/${fmt(r.latencyUs.p99 / 1000, 1)}`).join(', ');
        lines.push(`| — rounds (req/s / p99 ms) | ${list(a)} ||| ${list(b)} |||||`);
      }
    }
    lines.push('', `(ListKeys middle page at ${small.keys} keys returns ${small.middlePageKeys} keys; at ${large.keys}, ${large.middlePageKeys}.)`, '');
  }
  if (results.profile) {
    lines.push(`Server CPU profile under Encrypt load (self time, % of busy ${results.profile.busyMs} ms):`, '');
    for (const row of results.profile.topSelf.slice(0, 15)) lines.push(`- ${fmt(row.percentOfBusy, 1)}% ${row.name}`);
    lines.push('', 'By file:', '');
    for (const row of results.profile.topFiles.slice(0, 12)) lines.push(`- ${fmt(row.percentOfBusy, 1)}% ${row.name}`);
    lines.push('');
  }
  return lines.join('\n');
}
