import type { OperationContext } from './_shared/context.js';
import { unsupported } from './_shared/unsupported.js';

// Placeholder until implemented.
export const enableKey = (input: unknown, context: OperationContext) => unsupported('EnableKey')(input, context);
