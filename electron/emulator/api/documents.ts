// The Session Manager documents the sandbox knows (datachannel/README.md §9): session type and parameters with their defaults.

import type { SessionType } from '../registry';
import { ssmError } from './errors';
import type { JsonObject } from './input';

export interface DocumentParameter {
  default?: string;
  pattern?: RegExp;
  description: string;
}

export interface SessionDocument {
  name: string;
  /** The document's own description, as DescribeDocument and GetDocument show it. */
  description: string;
  sessionType: SessionType;
  parameters: Readonly<Record<string, DocumentParameter>>;
  /** Standard_Stream documents: their session settings (idleSessionTimeout, runAsEnabled, ...). */
  inputs?: JsonObject;
}

/**
 * The name StartSession records when it names no document: the account's preferences document
 * when the region has one, otherwise a plain shell with the service's defaults.
 */
export const DEFAULT_SESSION_DOCUMENT = 'SSM-SessionManagerRunShell';

/** The shell StartSession opens when no document is named and the region has no preferences. */
export const PLAIN_SHELL: SessionDocument = {
  name: DEFAULT_SESSION_DOCUMENT,
  description: 'Session Manager shell with the default preferences',
  sessionType: 'Standard_Stream',
  parameters: {},
};

const PORT =
  /^([0-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$/;
const HOST = /^[A-Za-z0-9.:_\-[\]]{1,253}$/;

const portNumber = (fallback: string): DocumentParameter => ({
  default: fallback,
  pattern: PORT,
  description: 'Port number of the server on the instance',
});
const localPortNumber: DocumentParameter = {
  default: '0',
  pattern: PORT,
  description: 'Port number on the local machine to forward traffic to; 0 picks a free port',
};

/** The Session documents AWS owns (Owner Amazon) in every region. */
export const SESSION_DOCUMENTS: Readonly<Record<string, SessionDocument>> = {
  'AWS-StartPortForwardingSession': {
    name: 'AWS-StartPortForwardingSession',
    description: 'Document to start port forwarding session over Session Manager',
    sessionType: 'Port',
    parameters: { portNumber: portNumber('80'), localPortNumber },
  },
  'AWS-StartPortForwardingSessionToRemoteHost': {
    name: 'AWS-StartPortForwardingSessionToRemoteHost',
    description: 'Document to start port forwarding session over Session Manager to a remote host',
    sessionType: 'Port',
    parameters: {
      host: { pattern: HOST, description: 'Hostname or IP address of the destination server' },
      portNumber: portNumber('80'),
      localPortNumber,
    },
  },
  'AWS-StartSSHSession': {
    name: 'AWS-StartSSHSession',
    description: 'Document to start SSH session over Session Manager',
    sessionType: 'Port',
    parameters: { portNumber: portNumber('22') },
  },
  'AWS-StartInteractiveCommand': {
    name: 'AWS-StartInteractiveCommand',
    description: 'Document to run single interactive command on an instance',
    sessionType: 'InteractiveCommands',
    parameters: { command: { description: 'The command to run' } },
  },
  'AWS-StartNonInteractiveCommand': {
    name: 'AWS-StartNonInteractiveCommand',
    description: 'Document to run single non interactive command on an instance',
    sessionType: 'NonInteractiveCommands',
    parameters: { command: { description: 'The command to run' } },
  },
};

/**
 * Checks StartSession Parameters against the document and returns one value per parameter with
 * defaults applied; throws InvalidParameters as SSM does.
 */
export function resolveParameters(
  document: SessionDocument,
  given: Readonly<Record<string, readonly string[]>>,
): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [name, values] of Object.entries(given)) {
    const definition = Object.hasOwn(document.parameters, name)
      ? document.parameters[name]
      : undefined;
    if (!definition) {
      throw ssmError(
        'InvalidParameters',
        `Parameter "${name}" is not defined in document ${document.name}.`,
      );
    }
    if (values.length !== 1) {
      throw ssmError('InvalidParameters', `Parameter "${name}" takes exactly one value.`);
    }
    const value = values[0] ?? '';
    if (definition.pattern && !definition.pattern.test(value)) {
      throw ssmError(
        'InvalidParameters',
        `Parameter "${name}" has value "${value}" not matching "${definition.pattern.source}".`,
      );
    }
    inputs[name] = value;
  }
  const missing: string[] = [];
  for (const [name, definition] of Object.entries(document.parameters)) {
    if (inputs[name] !== undefined) continue;
    if (definition.default !== undefined) inputs[name] = definition.default;
    else missing.push(name);
  }
  if (missing.length > 0) {
    throw ssmError(
      'InvalidParameters',
      `You must specify values for all required parameters in the Systems Manager document: ${missing.join(', ')}.`,
    );
  }
  return inputs;
}
