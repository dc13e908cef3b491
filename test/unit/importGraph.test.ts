/**
 * The shape of src/'s import graph (scripts/check-imports.mjs, `npm run check:imports`): no import circle beyond
 * the allow-list below, and no import that runs upward in the layer order the script declares.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const CHECKER = join(process.cwd(), 'scripts', 'check-imports.mjs');

interface Cycle {
  files: string[];
  path: string[];
}
interface Report {
  files: number;
  edges: number;
  cycles: Cycle[];
  upward: { from: string; to: string }[];
  unlayered: string[];
}

/**
 * Circles allowed: none. (The list stays so that a circle someone must keep for a while is named here, with why.)
 */
const ALLOWED_CYCLES: string[][] = [];

function check(root?: string): { report: Report; status: number | null } {
  const args = [CHECKER, '--json', ...(root ? ['--root', root] : [])];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return { report: JSON.parse(run.stdout) as Report, status: run.status };
}

describe('src import graph', () => {
  const { report } = check();
  const found = report.cycles.map((cycle) => cycle.files);
  const key = (files: string[]) => files.join(' | ');

  test('reads the whole tree', () => {
    expect(report.files).toBeGreaterThan(100);
    expect(report.edges).toBeGreaterThan(report.files);
  });

  test('has no import circle outside the allow-list', () => {
    const allowed = new Set(ALLOWED_CYCLES.map(key));
    const unexpected = report.cycles.filter((cycle) => !allowed.has(key(cycle.files))).map((cycle) => cycle.path.join(' -> '));
    expect(unexpected).toEqual([]);
  });

  test('allows no circle that is already gone (the allow-list shrinks)', () => {
    const present = new Set(found.map(key));
    expect(ALLOWED_CYCLES.map(key).filter((entry) => !present.has(entry))).toEqual([]);
  });

  test('has no upward import and no file outside a layer', () => {
    expect(report.upward.map((up) => `${up.from} -> ${up.to}`)).toEqual([]);
    expect(report.unlayered).toEqual([]);
  });
});

describe('the checker itself', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kmslite-imports-'));
    const files: Record<string, string> = {
      'src/util/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/util/b.ts': "import type { A } from './a.js';\n// import { nothing } from '../server/commented.js';\nexport const b = 1;\nexport type B = A;\n",
      'src/store/low.ts': "export const low = await import('../server/high.js');\n",
      'src/server/high.ts': "export { a } from '../util/a.js';\n",
      'src/server/commented.ts': 'export const nothing = 0;\n',
      'src/stray.ts': 'export {};\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('finds a circle (type-only imports count), an upward dynamic import and a file outside every layer', () => {
    const { report, status } = check(root);
    expect(status).toBe(1);
    expect(report.cycles).toEqual([{ files: ['src/util/a.ts', 'src/util/b.ts'], path: ['src/util/a.ts', 'src/util/b.ts', 'src/util/a.ts'] }]);
    // The commented-out import is not an edge.
    expect(report.upward).toEqual([{ from: 'src/store/low.ts', to: 'src/server/high.ts', fromLayer: 'store', toLayer: 'server' }]);
    expect(report.unlayered).toEqual(['src/stray.ts']);
  });

  test('prints one line per finding and a summary', () => {
    let output = '';
    try {
      execFileSync(process.execPath, [CHECKER, '--root', root], { encoding: 'utf8' });
    } catch (error) {
      output = (error as { stdout: string }).stdout;
    }
    expect(output).toContain('CYCLE src/util/a.ts -> src/util/b.ts -> src/util/a.ts');
    expect(output).toContain('UPWARD src/store/low.ts (store) -> src/server/high.ts (server)');
    expect(output).toMatch(/cycles=1 upward=1 unlayered=1$/m);
  });
});
