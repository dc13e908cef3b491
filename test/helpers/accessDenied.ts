/** AWS's AccessDeniedException text (access-control research §1.13, §5.7), shared by the evaluator and the server tests. */

export type DenialReason = 'explicit-resource' | 'explicit-identity' | 'no-resource' | 'no-identity';

export function accessDeniedText(callerArn: string, action: string, resource: string, reason: DenialReason): string {
  const tail = {
    'explicit-resource': 'with an explicit deny in a resource-based policy',
    'explicit-identity': 'with an explicit deny in an identity-based policy',
    'no-resource': `because no resource-based policy allows the ${action} action`,
    'no-identity': `because no identity-based policy allows the ${action} action`,
  }[reason];
  return `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} ${tail}`;
}
