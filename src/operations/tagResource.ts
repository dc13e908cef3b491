import type { OperationContext } from './_shared/context.js';
import { unsupported } from './_shared/unsupported.js';

// Placeholder until implemented.
export const tagResource = (input: unknown, context: OperationContext) => unsupported('TagResource')(input, context);
