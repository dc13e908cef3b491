import type { OperationContext } from './_shared/context.js';
import { unsupported } from './_shared/unsupported.js';

// Placeholder until implemented.
export const listAliases = (input: unknown, context: OperationContext) => unsupported('ListAliases')(input, context);
