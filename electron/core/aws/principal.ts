// Who a session belongs to: matches DescribeSessions' Owner against the caller's STS identity.

/** What STS GetCallerIdentity says about the credentials in use. */
export interface CallerIdentity {
  account: string;
  arn: string;
}

const ASSUMED_ROLE = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

/**
 * The principal sessions are counted against: the ARN itself for an IAM user (or anything that is
 * not an assumed role), and `arn:…:assumed-role/ROLE/` for an assumed role, so sessions started
 * under any role session name (earlier credential refreshes, other SSO sign-ins) still count.
 */
export function ownerPrincipal(callerArn: string): { kind: 'exact' | 'role'; match: string } {
  const role = ASSUMED_ROLE.exec(callerArn);
  if (role) {
    const [, partition, account, roleName] = role;
    return { kind: 'role', match: `arn:${partition}:sts::${account}:assumed-role/${roleName}/` };
  }
  return { kind: 'exact', match: callerArn };
}

/** True when a session whose Owner is `owner` was started by the caller's user or role. */
export function isOwnedBy(owner: string, callerArn: string): boolean {
  if (owner === '' || callerArn === '') return false;
  const principal = ownerPrincipal(callerArn);
  return principal.kind === 'exact'
    ? owner === principal.match
    : owner.startsWith(principal.match) && !owner.slice(principal.match.length).includes('/');
}
