#!/usr/bin/env node
// Generates src/model/generated/* from the botocore KMS service model and model/overrides.json.
//
//   node scripts/gen-model.mjs           write the files
//   node scripts/gen-model.mjs --check   regenerate in memory; exit 1 if any generated file differs (CI)
//
// Output is deterministic: model order (operations sorted by name), fixed key order, "\n" line ends,
// a trailing newline, and ajv's standalone code, which depends only on the schemas and the ajv version.
// See model/README.md for what each file holds and why the overrides are baked in here.
//
// The generators live beside this file in scripts/gen-model/: model.mjs (the model and the checked overrides),
// tables.mjs (operations.ts, errors.ts, enums.ts), shapes.mjs, audit.mjs and validators.mjs (ajv
// standalone code, and src/config/generated/seedValidator.ts). This file only writes or checks their output.

import { writeFileSync, readFileSync, mkdirSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ROOT, OUT_DIR } from './gen-model/model.mjs';
import { genOperations, genErrors, genEnums } from './gen-model/tables.mjs';
import { genShapes } from './gen-model/shapes.mjs';
import { genAudit } from './gen-model/audit.mjs';
import { genValidators, genSeedValidator } from './gen-model/validators.mjs';

const extraFiles = {
  [join(ROOT, 'src/config/generated/seedValidator.ts')]: genSeedValidator(),
};

const files = {
  'operations.ts': genOperations(),
  'errors.ts': genErrors(),
  'enums.ts': genEnums(),
  'shapes.ts': genShapes(),
  'validators.ts': genValidators(),
  'audit.ts': genAudit(),
};

const check = process.argv.includes('--check');
if (check) {
  const problems = [];
  for (const [file, text] of Object.entries(files)) {
    const path = join(OUT_DIR, file);
    if (!existsSync(path)) problems.push(`${file}: missing`);
    else if (readFileSync(path, 'utf8') !== text) problems.push(`${file}: differs`);
  }
  if (existsSync(OUT_DIR)) {
    for (const file of readdirSync(OUT_DIR)) if (!(file in files)) problems.push(`${file}: not produced by the generator`);
  }
  for (const [path, text] of Object.entries(extraFiles)) {
    if (!existsSync(path)) problems.push(`${relative(ROOT, path)}: missing`);
    else if (readFileSync(path, 'utf8') !== text) problems.push(`${relative(ROOT, path)}: differs`);
  }
  if (problems.length) {
    console.error(
      `gen-model --check: ${relative(ROOT, OUT_DIR)} is out of date; run \`node scripts/gen-model.mjs\`:\n  ` +
        problems.join('\n  '),
    );
    process.exit(1);
  }
  console.log(`gen-model --check: ${Object.keys(files).length} files up to date`);
} else {
  mkdirSync(OUT_DIR, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(OUT_DIR, file), text);
  for (const [path, text] of Object.entries(extraFiles)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  console.log(`gen-model: wrote ${Object.keys(files).length} files to ${relative(ROOT, OUT_DIR)}`);
}
