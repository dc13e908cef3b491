/**
 * The error a refused policy document raises. Lives apart from index.ts so that policy.ts can throw it without
 * an import cycle; index.ts re-exports it as part of the public surface.
 */
export class PolicyDocumentError extends Error {
  constructor(
    readonly code: 'MalformedPolicyDocumentException',
    /** AWS's message text; undefined when AWS sends the exception without one. */
    readonly awsMessage: string | undefined,
    /** For seed and operator-API errors: which statement / element is wrong (never sent on the wire). */
    readonly detail: string,
  ) {
    super(awsMessage ?? detail);
  }
}

/** Texts AWS sends (research §1.13, §5.7). */
export const INVALID_PRINCIPALS = 'Policy contains a statement with one or more invalid principals.';
export const LOCKOUT = 'The new key policy will not allow you to update the key policy in the future.';

/** conditions-kms.html, "Using set operators with condition keys" (the bracketed part filled in per key). */
export function overlyPermissive(what: 'encryption context' | 'tag'): string {
  return (
    'OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key matches ' +
    `requests without the specified ${what} or with an unspecified ${what}. To fix, remove ForAllValues.`
  );
}

export function malformed(detail: string): PolicyDocumentError {
  return new PolicyDocumentError('MalformedPolicyDocumentException', undefined, detail);
}
