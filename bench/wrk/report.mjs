/** The Markdown report of one wrk benchmark run (bench/wrk/run.mjs), targets of issue 12 checked. */

const fmt = (value, digits = 0) => (value === undefined || Number.isNaN(value) ? '–' : Number(value).toFixed(digits));
const mib = (bytes) => fmt(bytes / 1048576, 1);
const ms = (us) => fmt(us / 1000, 2);

export const TARGETS = {
  cpuRatioToBare: 2,
  loggingCostPercent: 10,
  rssAfterLongRunMiB: 100,
  rssWithKeysMiB: 80,
  coldStartRatioToBare: 1.3,
};

function row(name, r) {
  return `| ${name} | ${fmt(r.reqPerSec)} | ${ms(r.latencyUs.p50)} | ${ms(r.latencyUs.p99)} | ${fmt(r.serverCpuUsPerRequest, 1)} | ${fmt(r.serverSystemUsPerRequest, 1)} | ${fmt(r.serverCpuPercent)}% | ${fmt(r.wrkCpuPercent)}% | ${fmt(r.otherCpuPercent)}% | ${mib(r.rssAfterBytes)} | ${r.errors} |`;
}

/** { lines, verdicts }: verdicts are [{ target, value, met }]. */
export function report(results) {
  const lines = [];
  const verdicts = [];
  const { meta } = results;
  lines.push(`## wrk run of ${meta.date} (commit ${meta.commit}, node ${meta.node})`, '');
  lines.push(`Load average before: ${meta.loadBefore.join(' ')}; after: ${(meta.loadAfter ?? []).join(' ')}. wrk: 1 thread, ${meta.connections} connections, ${meta.seconds} s windows after ${meta.warmupS} s warm-up, ${meta.rounds} rounds (the round with the median CPU per request is shown). Server on CPU 0, wrk on CPU 1: ${meta.pinned}.`, '');
  if (meta.topBefore) lines.push('Other processes before the run (`top -bn1`):', '', '```', meta.topBefore.trim(), '```', '');
  if (results.throughput) {
    lines.push('| Scenario | req/s | p50 ms | p99 ms | server CPU µs/req | of it kernel µs | server CPU | wrk CPU | other CPU | RSS MiB | errors |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const s of results.throughput.scenarios) {
      lines.push(row(`${s.name}: bare node:http`, s.bare), row(`${s.name}: kmslite (default log level)`, s.kmslite), row(`${s.name}: kmslite --log-level warn`, s.kmsliteWarn));
    }
    lines.push('', '| Scenario | CPU µs/req kmslite ÷ bare (medians of rounds) | req/s cost of the default log line |', '|---|---:|---:|');
    for (const s of results.throughput.scenarios) {
      const ratio = s.kmslite.medianCpuUsPerRequest / s.bare.medianCpuUsPerRequest;
      const loggingCost = (1 - s.kmslite.medianCpuUsPerRequest ** -1 / s.kmsliteWarn.medianCpuUsPerRequest ** -1) * 100;
      lines.push(`| ${s.name} | ${fmt(ratio, 2)}× (${fmt(s.kmslite.medianCpuUsPerRequest, 1)} vs ${fmt(s.bare.medianCpuUsPerRequest, 1)}) | ${fmt(loggingCost, 1)}% |`);
      // With the paired section (cpuRatio.mjs), its reading is the verdict; this column is only the rounds' medians.
      if (!results.cpuRatio) verdicts.push({ target: `${s.name}: CPU per request ≤ ${TARGETS.cpuRatioToBare}× bare`, value: `${fmt(ratio, 2)}×`, met: ratio <= TARGETS.cpuRatioToBare });
      // With the log-line section, its paired reading is the verdict; this column is only the rounds' medians.
      if (!results.logLine) verdicts.push({ target: `${s.name}: default log line ≤ ${TARGETS.loggingCostPercent}% of throughput (CPU-bound)`, value: `${fmt(loggingCost, 1)}%`, met: loggingCost <= TARGETS.loggingCostPercent });
    }
    lines.push('', 'The logging cost is read from CPU per request (1 − warn µs ÷ default µs): what the line costs a CPU-bound server.', '');
  }
  if (results.cpuRatio) {
    const { pairs, seconds, scenarios } = results.cpuRatio;
    lines.push(`CPU per request against bare node:http, ${pairs} pairs of ${seconds} s windows per scenario (bare node:http and kmslite at the default log level one right after the other, the order alternating; each pair: kmslite µs ÷ bare µs):`, '');
    lines.push('| Scenario | median of pairs | lowest | highest | pairs over ' + TARGETS.cpuRatioToBare + '× | every pair | every pair, bare / kmslite µs |', '|---|---:|---:|---:|---:|---|---|');
    for (const s of scenarios) {
      lines.push(`| ${s.name} | ${fmt(s.medianRatio, 2)}× | ${fmt(s.lowestRatio, 2)}× | ${fmt(s.highestRatio, 2)}× | ${s.pairsOverLimit} of ${s.pairs.length} | ${s.ratios.join(', ')} | ${s.pairs.map((p) => `${fmt(p.bareCpuUs, 1)}/${fmt(p.kmsliteCpuUs, 1)}`).join(', ')} |`);
      verdicts.push({ target: `${s.name}: CPU per request ≤ ${TARGETS.cpuRatioToBare}× bare (median of paired windows)`, value: `${fmt(s.medianRatio, 2)}×`, met: s.medianRatio <= TARGETS.cpuRatioToBare });
    }
    lines.push('');
  }
  if (results.logLine) {
    const { pairs, seconds, scenarios } = results.logLine;
    lines.push(`The default request line's cost, ${pairs} pairs of ${seconds} s windows per scenario (kmslite at \`info\` and at \`warn\` one right after the other, the order alternating; each pair: 1 − warn µs ÷ info µs of CPU per request):`, '');
    lines.push('| Scenario | median of pairs | lowest | highest | pairs over ' + TARGETS.loggingCostPercent + ' % | every pair, % |', '|---|---:|---:|---:|---:|---|');
    for (const s of scenarios) {
      lines.push(`| ${s.name} | ${fmt(s.medianCostPercent, 1)}% | ${fmt(s.lowestCostPercent, 1)}% | ${fmt(s.highestCostPercent, 1)}% | ${s.pairsOverLimit} of ${s.pairs.length} | ${s.costsPercent.join(', ')} |`);
      verdicts.push({ target: `${s.name}: default log line ≤ ${TARGETS.loggingCostPercent}% of throughput (CPU-bound, median of paired windows)`, value: `${fmt(s.medianCostPercent, 1)}%`, met: s.medianCostPercent <= TARGETS.loggingCostPercent });
    }
    lines.push('');
  }
  if (results.longRun) {
    const r = results.longRun;
    lines.push(`Long run at the default log level: ${r.requests} requests (${r.windows.length} windows of the scenarios in turn), ${r.errors} errors. RSS ${mib(r.rssStartBytes)} MiB at the start, at most ${mib(r.rssDuringMaxBytes)} MiB during, ${mib(r.rssRightAfterBytes)} MiB right after, ${mib(r.rssAfterIdleBytes)} MiB after 5 s idle.`, '');
    verdicts.push({ target: `RSS ≤ ${TARGETS.rssAfterLongRunMiB} MiB after ${r.requests} requests`, value: `${mib(r.rssRightAfterBytes)} MiB`, met: r.rssRightAfterBytes / 1048576 <= TARGETS.rssAfterLongRunMiB });
  }
  if (results.keys) {
    const k = results.keys;
    lines.push(`${k.keys} keys (CreateKey at ${k.createKeyPerSec}/s): RSS ${mib(k.rssEmptyBytes)} MiB empty, ${mib(k.rssRightAfterBytes)} MiB right after, ${mib(k.rssAfterIdleBytes)} MiB after 5 s idle.`, '');
    verdicts.push({ target: `RSS ≤ ${TARGETS.rssWithKeysMiB} MiB with ${k.keys} keys`, value: `${mib(k.rssAfterIdleBytes)} MiB`, met: k.rssAfterIdleBytes / 1048576 <= TARGETS.rssWithKeysMiB });
  }
  if (results.coldStart) {
    const c = results.coldStart;
    lines.push(`Cold start (spawn → first 200, ${c.bare.runsMs.length} interleaved runs, medians): bare node:http ${fmt(c.bare.medianMs, 1)} ms; ` + Object.entries(c.kmslite).map(([level, v]) => `kmslite --log-level ${level} ${fmt(v.medianMs, 1)} ms (${fmt(v.medianMs / c.bare.medianMs, 2)}×)`).join(', ') + '.', '');
    if (c.bare.medianMinorFaults !== undefined) lines.push(`Minor page faults by the first answer (medians): bare node:http ${c.bare.medianMinorFaults}; ` + Object.entries(c.kmslite).map(([level, v]) => `kmslite --log-level ${level} ${v.medianMinorFaults}`).join(', ') + '.', '');
    for (const [level, v] of Object.entries(c.kmslite)) {
      verdicts.push({ target: `cold start (--log-level ${level}) ≤ ${TARGETS.coldStartRatioToBare}× bare`, value: `${fmt(v.medianMs / c.bare.medianMs, 2)}×`, met: v.medianMs / c.bare.medianMs <= TARGETS.coldStartRatioToBare });
    }
  }
  lines.push('| Target | Measured | Met |', '|---|---:|---|', ...verdicts.map((v) => `| ${v.target} | ${v.value} | ${v.met ? 'yes' : '**no**'} |`), '');
  return { markdown: lines.join('\n'), verdicts };
}
