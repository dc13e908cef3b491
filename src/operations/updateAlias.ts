import type { OperationContext } from './_shared/context.js';
import { unsupported } from './_shared/unsupported.js';

// Placeholder until implemented.
export const updateAlias = (input: unknown, context: OperationContext) => unsupported('UpdateAlias')(input, context);
