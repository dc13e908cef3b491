import { KmsError } from '../../protocol/errors.js';
import type { Operation } from './context.js';

/** Registered for every model operation whose issue has not landed yet, so the gap answers like AWS would. */
export function unsupported(operation: string): Operation {
  return () => {
    throw new KmsError('UnsupportedOperationException', `${operation} is not supported by kmslite yet.`);
  };
}
