/**
 * AccessDeniedException texts (IAM User Guide, troubleshoot_access-denied.html; KMS instances pasted from real
 * AWS answers, research §1.13):
 *   User: <caller ARN> is not authorized to perform: kms:<Action> on resource: <key/alias ARN or *> <reason>
 * The caller ARN is the session ARN for roles. The kms:TagResource check of CreateKey/ReplicateKey with Tags
 * (resource kind `none`) has no "on resource:" part, as observed from AWS (LeanerCloud/CUDly#1670).
 */
import type { AuthzRequest } from './types.js';

/** `kms:decrypt` → `kms:Decrypt` is not done: the action is printed as the caller of authorize() names it. */
export function denialMessage(request: Pick<AuthzRequest, 'principal' | 'action' | 'resource'>, kind: 'deny' | 'no-allow', side: 'resource' | 'identity'): string {
  const { principal, action, resource } = request;
  const policyType = side === 'resource' ? 'resource-based' : 'identity-based';
  const reason = kind === 'deny' ? `with an explicit deny in ${side === 'resource' ? 'a' : 'an'} ${policyType} policy` : `because no ${policyType} policy allows the ${action} action`;
  const noResource = resource.kind === 'none' && action.toLowerCase() === 'kms:tagresource';
  const on = noResource ? '' : ` on resource: ${resource.kind === 'none' ? '*' : resource.arn}`;
  return `User: ${principal.arn} is not authorized to perform: ${action}${on} ${reason}`;
}
