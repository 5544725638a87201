import { describe, expect, it } from 'vitest';
import { ApiError } from './errors';
import { identifyOperation, lookupOperation, readEnvelope } from './operations';

const form = (text: string): Buffer => Buffer.from(text, 'utf8');
const FORM_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

function lookupError(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('the operation table', () => {
  it('finds a JSON operation by its target and a query operation by its signing scope', () => {
    const json = identifyOperation(
      readEnvelope('AmazonSSM.StartSession', 'application/x-amz-json-1.1'),
      form('{}'),
      'ssm',
    );
    expect(lookupOperation(json, 'ssm')).toMatchObject({ name: 'StartSession', regionless: false });

    const query = identifyOperation(
      readEnvelope(undefined, FORM_TYPE),
      form('Action=DescribeRegions&Version=2016-11-15'),
      'ec2',
    );
    expect(query.protocol).toBe('ec2');
    expect(lookupOperation(query, 'ec2')).toMatchObject({
      name: 'DescribeRegions',
      regionless: true,
    });
  });

  it('tells an unsigned query request its service by API version, for the error shape', () => {
    const requested = identifyOperation(
      readEnvelope(undefined, FORM_TYPE),
      form('Action=GetCallerIdentity&Version=2011-06-15'),
      undefined,
    );
    expect(requested.service?.signingName).toBe('sts');
    expect(requested.protocol).toBe('query');
  });

  it("answers each service's own error for an operation it does not have", () => {
    const ssm = identifyOperation(readEnvelope('AmazonSSM.Nope', ''), form('{}'), 'ssm');
    expect(lookupError(() => lookupOperation(ssm, 'ssm'))).toMatchObject({
      code: 'UnknownOperationException',
      message: 'Unknown operation AmazonSSM.Nope',
    });
    const sts = identifyOperation(readEnvelope(undefined, FORM_TYPE), form('Action=Nope'), 'sts');
    expect(lookupError(() => lookupOperation(sts, 'sts'))).toMatchObject({
      code: 'InvalidAction',
      message: 'Could not find operation Nope for version 2011-06-15',
    });
  });

  it('refuses a request signed for another service than the one it names', () => {
    const requested = identifyOperation(
      readEnvelope('TrentService.Decrypt', ''),
      form('{}'),
      'ssm',
    );
    expect(lookupError(() => lookupOperation(requested, 'ssm'))).toMatchObject({
      code: 'InvalidSignatureException',
      message: "Credential should be scoped to correct service: 'kms'. ",
    });
  });
});
