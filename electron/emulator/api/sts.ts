// STS operations (query protocol, XML answers): GetCallerIdentity, answered per access key.

import type { QueryOperation } from './context';
import { xmlDocument, xmlElement } from './xml';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

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

export const STS_OPERATIONS: Readonly<Record<string, QueryOperation>> = {
  GetCallerIdentity: getCallerIdentity,
};
