/**
 * Paired windows: two servers loaded with the same scenario in short wrk windows one right after the other, many
 * times, the order alternating from pair to pair. Used where a reading is a comparison of two servers (the
 * request line's cost, logLine.mjs; CPU per request against bare node:http, cpuRatio.mjs).
 *
 * Why: on this machine the host's speed moves by 10–60 % between rounds a minute apart and by up to 2× within
 * minutes (bare node:http read 26 and 49 µs per request in two windows of one run), more than the differences
 * measured. Within a pair the two windows are seconds apart; the alternating order adds a steady drift to both
 * sides alike; and the median of many pairs ignores the pairs a change of speed fell into.
 */
import { median } from '../lib/common.mjs';
import { runWrk } from './runWrk.mjs';

/**
 * `pairs` pairs of `seconds`-long windows of `a` and `b` ({ server, requests }); returns [{ a, b, aFirst }], the
 * server CPU µs per request of each window. No warm-up window: both servers are warm before the first pair, and
 * wrk's 16 new connections are a few of a window's thousands of requests.
 */
export async function pairedWindows(a, b, { pairs, seconds }) {
  const measured = [];
  for (let pair = 0; pair < pairs; pair++) {
    const aFirst = pair % 2 === 0;
    const cpu = {};
    for (const [key, side] of aFirst ? [['a', a], ['b', b]] : [['b', b], ['a', a]]) {
      cpu[key] = (await runWrk(side.server, side.requests, { seconds })).serverCpuUsPerRequest;
    }
    measured.push({ a: +cpu.a.toFixed(2), b: +cpu.b.toFixed(2), aFirst });
  }
  return measured;
}

/** The pairs' readings summarised: median, lowest, highest, and how many are over `limit`. */
export function summariseReadings(readings, limit) {
  const sorted = [...readings].sort((a, b) => a - b);
  return { median: median(readings), lowest: sorted[0], highest: sorted[sorted.length - 1], overLimit: readings.filter((reading) => reading > limit).length };
}
