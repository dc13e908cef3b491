/**
 * `--log-format pretty`: pino's JSON lines turned into lines a person reads at a terminal. pino still makes
 * every line; this stream, given to pino as its destination, parses each one and writes it again, so the
 * JSON path (the default off a terminal, and the hot one under load) is untouched and pays nothing.
 *
 *   10:52:01.123  200  Encrypt  111122223333 eu-west-2  alias/kmslite-default  0.8 ms
 *   10:52:01.456  400  Decrypt  111122223333 eu-west-2  NotFoundException: Key 'arn:…' does not exist  0.4 ms
 *   10:52:02.001  WARN  hint: …  accessKeyId=AKIA…
 *
 * Request lines carry what the JSON line carries, nothing more: never key material, plaintext or signatures.
 */
const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

interface Colours {
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
}

const NO_COLOURS: Colours = { red: (text) => text, yellow: (text) => text, dim: (text) => text };
const ANSI: Colours = {
  red: (text) => `\x1b[31m${text}\x1b[39m`,
  yellow: (text) => `\x1b[33m${text}\x1b[39m`,
  dim: (text) => `\x1b[2m${text}\x1b[22m`,
};

/** Colours only on a terminal, and not when NO_COLOR is set (no-color.org). */
export function coloursFor(out: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Colours {
  return (out as { isTTY?: boolean }).isTTY && !env.NO_COLOR ? ANSI : NO_COLOURS;
}

/** A destination for pino that writes each line in the pretty form to `out`. */
export function prettyDestination(out: NodeJS.WritableStream, colours: Colours = coloursFor(out)): { write(line: string): boolean } {
  return {
    write(chunk: string): boolean {
      let text = '';
      for (const line of chunk.split('\n')) {
        if (line !== '') text += formatLine(line, colours) + '\n';
      }
      return out.write(text);
    },
  };
}

export function formatLine(line: string, colours: Colours = NO_COLOURS): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, ...fields } = record;
  const clock = typeof time === 'string' ? time.slice(11, 23) : '';
  if (msg === 'request' && typeof fields.status === 'number') return clock + '  ' + formatRequest(fields, colours);
  const levelName = LEVEL_NAMES[level as number] ?? String(level);
  const tag = (level as number) >= 50 ? colours.red(levelName) : (level as number) >= 40 ? colours.yellow(levelName) : levelName;
  return `${clock}  ${tag}  ${String(msg ?? '')}${formatFields(fields, colours)}`;
}

function formatRequest(fields: Record<string, unknown>, colours: Colours): string {
  const status = fields.status as number;
  // Operation names are up to 35 characters; most are under 20: aligned for those, never cut.
  const parts = [status >= 400 ? colours.red(String(status)) : String(status), String(fields.operation ?? '-').padEnd(19)];
  if (fields.accountId !== undefined) parts.push(`${String(fields.accountId)} ${String(fields.region ?? '')}`);
  if (fields.keyId !== undefined) parts.push(String(fields.keyId));
  if (fields.error !== undefined) {
    const message = fields.errorMessage === undefined ? '' : `: ${String(fields.errorMessage)}`;
    parts.push(colours.red(`${String(fields.error)}${message}`));
  }
  if (typeof fields.durationMs === 'number') parts.push(colours.dim(`${fields.durationMs.toFixed(1)} ms`));
  return parts.join('  ');
}

function formatFields(fields: Record<string, unknown>, colours: Colours): string {
  let text = '';
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    // pino's serialised errors: the message, and the stack on the lines below for a fault.
    const shown = name === 'err' && typeof value === 'object' && value !== null ? String((value as { stack?: unknown; message?: unknown }).stack ?? (value as { message?: unknown }).message) : typeof value === 'string' ? value : JSON.stringify(value);
    text += name === 'fault' || name === 'err' ? `\n    ${shown.replace(/\n/g, '\n    ')}` : colours.dim(`  ${name}=${shown}`);
  }
  return text;
}
