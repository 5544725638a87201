// What the agent takes from a session's document: the Port properties sent in the handshake and the command to run.

import type { SessionRecord } from '../registry';
import { LOCAL_PORT_FORWARDING, type PortProperties } from './port-plugin';

export type SessionDocumentView = Pick<SessionRecord, 'documentName' | 'sessionType' | 'inputs'>;

/**
 * The standard documents' `properties` after parameter substitution (datachannel/README.md §9), in the
 * documents' key order. Other Port documents pass their resolved inputs through.
 */
export function portHandshakeProperties(session: SessionDocumentView): Record<string, string> {
  const inputs = session.inputs;
  switch (session.documentName) {
    case 'AWS-StartPortForwardingSession':
      return {
        portNumber: inputs.portNumber ?? '80',
        type: LOCAL_PORT_FORWARDING,
        localPortNumber: inputs.localPortNumber ?? '0',
      };
    case 'AWS-StartPortForwardingSessionToRemoteHost':
      return {
        portNumber: inputs.portNumber ?? '80',
        type: LOCAL_PORT_FORWARDING,
        localPortNumber: inputs.localPortNumber ?? '0',
        host: inputs.host ?? '',
      };
    case 'AWS-StartSSHSession':
      return { portNumber: inputs.portNumber ?? '22' };
    default:
      return { ...inputs };
  }
}

/** The plugin's view of the same properties. */
export function portPluginProperties(properties: Record<string, string>): PortProperties {
  const result: PortProperties = { portNumber: properties.portNumber ?? '' };
  if (properties.type !== undefined) result.type = properties.type;
  if (properties.host !== undefined) result.host = properties.host;
  return result;
}

/**
 * The command line of a command document: its properties' `commands` for the platform with the
 * parameters substituted (what the service sends the agent), else a `command` parameter.
 */
export function documentCommand(session: SessionDocumentView): string | undefined {
  const command = session.inputs.commands ?? session.inputs.command;
  return command === undefined || command.trim() === '' ? undefined : command;
}
