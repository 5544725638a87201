// STS operations (query protocol, XML answers): GetCallerIdentity, and AssumeRole into the sandbox's roles (one of which requires MFA).

import { createHash } from 'node:crypto';
import type { Principal } from './accounts';
import type { CallContext, QueryOperation } from './context';
import { ApiError } from './errors';
import { xmlDocument, xmlElement } from './xml';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * Roles that exist in every sandbox account, keyed by role name. `admin-mfa` only accepts callers
 * that pass an MFA device serial (`arn:aws:iam::<account>:mfa/<name>`) and SANDBOX_MFA_CODE.
 */
export const SANDBOX_ROLES: Readonly<Record<string, { requiresMfa: boolean }>> = {
  'sandbox-role': { requiresMfa: false },
  'admin-mfa': { requiresMfa: true },
};

/** The one MFA code every sandbox MFA device accepts: the sandbox has no real TOTP device. */
export const SANDBOX_MFA_CODE = '123456';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const MFA_SERIAL = /^arn:aws:iam::(\d{12}):mfa\/[\w+=,.@/-]{1,256}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const DEFAULT_DURATION_S = 3600;
const MIN_DURATION_S = 900;
const MAX_DURATION_S = 43_200;

const getCallerIdentity: QueryOperation = (_params, call) =>
  xmlDocument(
    xmlElement(
      'GetCallerIdentityResponse',
      [
        xmlElement('GetCallerIdentityResult', [
          xmlElement('Arn', call.principal.arn),
          xmlElement('UserId', call.principal.userId),
          xmlElement('Account', call.principal.accountId),
        ]),
        xmlElement('ResponseMetadata', [xmlElement('RequestId', call.requestId)]),
      ],
      NAMESPACE,
    ),
  );

/** A stable `AROA…` id per role ARN, as IAM keeps one id per role. */
export function roleIdOf(roleArn: string): string {
  const digest = createHash('sha256').update(roleArn).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = 'AROA';
  for (let i = 0; i < 17; i++) id += alphabet[(digest[i] ?? 0) % alphabet.length];
  return id;
}

function denied(call: CallContext, roleArn: string, why?: string): ApiError {
  return new ApiError(
    'AccessDenied',
    `User: ${call.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}${why ? ` (${why})` : ''}`,
    403,
  );
}

function validation(message: string): ApiError {
  return new ApiError('ValidationError', message, 400);
}

const assumeRole: QueryOperation = (params, call, deps) => {
  const roleArn = params.get('RoleArn') ?? '';
  const sessionName = params.get('RoleSessionName') ?? '';
  if (roleArn === '')
    throw validation(
      "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    );
  if (!SESSION_NAME.test(sessionName)) {
    throw validation(
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64`,
    );
  }
  const durationText = params.get('DurationSeconds');
  const duration = durationText === null ? DEFAULT_DURATION_S : Number(durationText);
  if (!Number.isInteger(duration) || duration < MIN_DURATION_S || duration > MAX_DURATION_S) {
    throw validation(
      `1 validation error detected: Value '${durationText ?? ''}' at 'durationSeconds' failed to satisfy constraint: Member must have value between ${MIN_DURATION_S} and ${MAX_DURATION_S}`,
    );
  }
  const match = ROLE_ARN.exec(roleArn);
  const accountId = match?.[1];
  const roleName = match?.[2];
  if (
    accountId === undefined ||
    roleName === undefined ||
    !deps.fleet.accounts.some((a) => a.accountId === accountId) ||
    !Object.hasOwn(SANDBOX_ROLES, roleName)
  ) {
    throw denied(
      call,
      roleArn,
      `the sandbox's roles are ${Object.keys(SANDBOX_ROLES).join(', ')} in its accounts`,
    );
  }
  const serial = params.get('SerialNumber');
  const code = params.get('TokenCode');
  if (SANDBOX_ROLES[roleName]?.requiresMfa) {
    if (serial === null || code === null) throw denied(call, roleArn, 'the role requires MFA');
    const serialMatch = MFA_SERIAL.exec(serial);
    if (serialMatch?.[1] !== call.principal.accountId) {
      throw new ApiError(
        'AccessDenied',
        'MultiFactorAuthentication failed, unable to validate MFA SerialNumber',
        403,
      );
    }
    if (code !== SANDBOX_MFA_CODE) {
      throw new ApiError(
        'AccessDenied',
        'MultiFactorAuthentication failed with invalid MFA one time pass code.',
        403,
      );
    }
  }
  const roleId = roleIdOf(roleArn);
  const principal: Principal = {
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    userId: `${roleId}:${sessionName}`,
    name: sessionName,
  };
  // The role inherits the caller's denied regions, so region denial survives a role chain.
  const issued = deps.credentials.issueTemporary(
    principal,
    duration * 1000,
    call.now,
    call.credential.deniedRegions,
  );
  return xmlDocument(
    xmlElement(
      'AssumeRoleResponse',
      [
        xmlElement('AssumeRoleResult', [
          xmlElement('AssumedRoleUser', [
            xmlElement('AssumedRoleId', principal.userId),
            xmlElement('Arn', principal.arn),
          ]),
          xmlElement('Credentials', [
            xmlElement('AccessKeyId', issued.accessKeyId),
            xmlElement('SecretAccessKey', issued.secretAccessKey),
            xmlElement('SessionToken', issued.sessionToken),
            xmlElement(
              'Expiration',
              new Date(issued.expiresAt ?? call.now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            ),
          ]),
          xmlElement('PackedPolicySize', 0),
        ]),
        xmlElement('ResponseMetadata', [xmlElement('RequestId', call.requestId)]),
      ],
      NAMESPACE,
    ),
  );
};

export const STS_OPERATIONS: Readonly<Record<string, QueryOperation>> = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
};
