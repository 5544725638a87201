// EC2 Instance Connect (JSON 1.1, X-Amz-Target AWSEC2InstanceConnectService.*): SendSSHPublicKey,
// which makes a public key usable for a new SSH login to a running EC2 instance for a short time.

import type { JsonOperation } from './context';
import { ApiError } from './errors';
import { isObject } from './input';

const INSTANCE_ID = /^i-[a-f0-9]+$/;
const OS_USER = /^[A-Za-z_][A-Za-z0-9@._-]{0,30}[A-Za-z0-9$_-]?$/;
const AVAILABILITY_ZONE = /^(\w+-){2,3}\d+\w+$/;
/** The key types EC2 Instance Connect accepts (RSA, ED25519 and ECDSA). */
const KEY_TYPES = new Set([
  'ssh-rsa',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
]);

function invalidArgs(message: string): ApiError {
  return new ApiError('InvalidArgsException', message);
}

function stringMember(
  input: Record<string, unknown>,
  name: string,
  rules: { min: number; max: number; pattern?: RegExp; required: boolean },
): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) {
    if (rules.required) throw invalidArgs(`${name} is required.`);
    return undefined;
  }
  if (typeof value !== 'string')
    throw new ApiError('SerializationException', `${name}: not a string`);
  if (value.length < rules.min || value.length > rules.max) {
    throw invalidArgs(`${name} must be between ${rules.min} and ${rules.max} characters long.`);
  }
  if (rules.pattern && !rules.pattern.test(value)) throw invalidArgs(`${name} is not valid.`);
  return value;
}

/**
 * The key as one authorized_keys line, or an InvalidArgsException: a supported type, a base64
 * blob that names the same type inside (as sshd checks), an optional comment.
 */
export function checkPublicKey(text: string): string {
  const [type = '', blob = '', ...comment] = text.trim().split(/\s+/);
  if (!KEY_TYPES.has(type)) {
    throw invalidArgs(
      'Unsupported key type: use an RSA, ED25519 or ECDSA public key in OpenSSH format.',
    );
  }
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(blob) ? Buffer.from(blob, 'base64') : Buffer.alloc(0);
  const innerLength = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  const innerType = bytes.subarray(4, 4 + Math.max(innerLength, 0)).toString('latin1');
  if (innerType !== type)
    throw invalidArgs('The public key material is not a valid SSH public key.');
  // The comment stays on the same line; no sshd option can ride along in it.
  return [type, blob, ...comment].join(' ');
}

const sendSshPublicKey: JsonOperation = (input, call, deps) => {
  if (!isObject(input)) throw invalidArgs('The request is not a JSON object.');
  const instanceId = stringMember(input, 'InstanceId', {
    min: 10,
    max: 32,
    pattern: INSTANCE_ID,
    required: true,
  });
  const osUser = stringMember(input, 'InstanceOSUser', {
    min: 1,
    max: 32,
    pattern: OS_USER,
    required: true,
  });
  const publicKey = stringMember(input, 'SSHPublicKey', { min: 80, max: 4096, required: true });
  const zone = stringMember(input, 'AvailabilityZone', {
    min: 6,
    max: 32,
    pattern: AVAILABILITY_ZONE,
    required: false,
  });
  const line = checkPublicKey(publicKey ?? '');
  const instance = deps.fleet.find(call.principal.accountId, call.region, instanceId ?? '');
  if (!instance || instance.resourceType !== 'EC2Instance' || instance.state === 'terminated') {
    throw new ApiError('EC2InstanceNotFoundException', `Instance ${instanceId} not found.`);
  }
  if (zone !== undefined && zone !== instance.availabilityZone) {
    throw invalidArgs(`Instance ${instanceId} is not in availability zone ${zone}.`);
  }
  if (instance.state !== 'running') {
    throw new ApiError(
      'EC2InstanceStateInvalidException',
      `Instance ${instanceId} is ${instance.state}: EC2 Instance Connect needs a running instance.`,
    );
  }
  if (instance.platform !== 'Linux') {
    throw new ApiError(
      'EC2InstanceTypeInvalidException',
      `Instance ${instanceId} does not run Linux: EC2 Instance Connect is not supported on it.`,
    );
  }
  deps.sshKeys.push({ instanceId: instance.instanceId, osUser: osUser ?? '', publicKey: line });
  return { RequestId: call.requestId, Success: true };
};

export const EC2_INSTANCE_CONNECT_OPERATIONS: Readonly<Record<string, JsonOperation>> = {
  SendSSHPublicKey: sendSshPublicKey,
};
