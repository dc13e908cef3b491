// Vitest: one kmslite for the whole run (globalSetup), its endpoint handed to the tests with provide/inject.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    globalSetup: ['./kmslite.setup.mjs'],
  },
});
