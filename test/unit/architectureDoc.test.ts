/**
 * docs/architecture.md matches the tree: its layer table names the layers of scripts/check-imports.mjs in the same
 * order with the same folders, and every folder under src/ is named on the page.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const page = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
const checker = readFileSync(join(ROOT, 'scripts/check-imports.mjs'), 'utf8');

/** [name, prefixes] from the checker's LAYERS list, in order. */
function checkerLayers(): [string, string[]][] {
  const list = /export const LAYERS = \[([\s\S]*?)\n\];/.exec(checker)![1]!;
  return [...list.matchAll(/\['(\w+)', \[([^\]]*)\]\]/g)].map((m) => [m[1]!, [...m[2]!.matchAll(/'([^']+)'/g)].map((p) => p[1]!)]);
}

/** [name, folders] from the page's layer table, in order. */
function pageLayers(): [string, string[]][] {
  const section = page.slice(page.indexOf('## The layers, lowest first'));
  return [...section.matchAll(/^\| (\w+) \| ([^|]+) \|/gm)]
    .filter((m) => m[1] !== 'layer')
    .map((m) => [m[1]!, [...m[2]!.matchAll(/`([^`]+)`/g)].map((p) => p[1]!)]);
}

test('the layer table lists the import checker layers, in order, with the same folders', () => {
  expect(checkerLayers().length).toBeGreaterThan(5);
  expect(pageLayers()).toEqual(checkerLayers());
});

test('every folder under src/ is named on the page', () => {
  const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `src/${entry.name}/`);
  expect(folders.length).toBeGreaterThan(5);
  expect(folders.filter((folder) => !page.includes(`\`${folder}\``))).toEqual([]);
});

test('every file of the domain layer (src/kms/) is named in its file-by-file section', () => {
  const section = page.slice(page.indexOf('## The domain layer, file by file'), page.indexOf('## Around the source'));
  const files = readdirSync(join(ROOT, 'src/kms')).filter((name) => name.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(20);
  expect(files.filter((file) => !section.includes(`\`${file}\``))).toEqual([]);
});

