/**
 * The seed kmslite ships (seed.yaml), already parsed and checked against the seed schema: `text` is the file
 * as shipped, `json` the document. seed.ts uses it only for a seed file whose text is exactly `text`, so an
 * edited seed.yaml is always parsed. scripts/bundle.mjs fills it in for the bundle at build time; here (tsc
 * output, tests) it is undefined and every seed is parsed.
 */
export const PRECOMPILED_SEED: { text: string; json: string } | undefined = undefined;
