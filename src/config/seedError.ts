/** A seed kmslite cannot use: the message names the file, the entry and the problem. */
export class SeedError extends Error {}
