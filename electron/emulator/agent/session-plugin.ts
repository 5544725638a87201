// Which plugin serves a session (a shell, a command or a port), and how the client's stream input reaches it.

import type { Logger } from '../../core/base/logger';
import { CodecError } from '../../core/datachannel/codec/errors';
import { parseFlagPayload, parseSizePayload } from '../../core/datachannel/codec/scalars';
import { PayloadType, type ClientMessage } from '../../core/datachannel/codec/types';
import { AgentKmsError, type AgentCipher } from './agent-kms';
import { CommandPlugin } from './command-plugin';
import type { HostResolver } from './denied-addresses';
import {
  documentCommand,
  portHandshakeProperties,
  portPluginProperties,
  type SessionDocumentView,
} from './documents';
import type { AgentPlugin, PluginDelivery, PluginHost, ResolvedShellLaunch } from './plugin';
import { PortPlugin, type Dialer } from './port-plugin';
import { ShellPlugin } from './shell-plugin';

/** How the session's plugins reach the machine: the shell to run, and the port plugin's network. */
export interface PluginLaunch {
  shell: ResolvedShellLaunch;
  /** Delay before the shell's first read (the real agent waits 1 s); default 0. */
  firstOutputDelayMs?: number;
  resolveHost?: HostResolver;
  dial?: Dialer;
}

/**
 * The plugin for the session's type, not yet started; undefined when the document has no command
 * to run, after ending the session through `host`.
 */
export function createSessionPlugin(
  session: SessionDocumentView,
  host: PluginHost,
  launch: PluginLaunch,
): AgentPlugin | undefined {
  const { sessionType } = session;
  switch (sessionType) {
    case 'Standard_Stream':
      return new ShellPlugin({
        host,
        launch: launch.shell,
        ...(launch.firstOutputDelayMs !== undefined
          ? { firstOutputDelayMs: launch.firstOutputDelayMs }
          : {}),
      });
    case 'InteractiveCommands':
    case 'NonInteractiveCommands': {
      const command = documentCommand(session);
      if (command === undefined) {
        host.end({ output: 'The document has no command to run.', failed: true });
        return undefined;
      }
      return sessionType === 'InteractiveCommands'
        ? new ShellPlugin({ host, launch: launch.shell, command })
        : new CommandPlugin({ host, launch: launch.shell, command });
    }
    case 'Port':
      return new PortPlugin({
        host,
        properties: portPluginProperties(portHandshakeProperties(session)),
        ...(launch.resolveHost ? { resolveHost: launch.resolveHost } : {}),
        ...(launch.dial ? { dial: launch.dial } : {}),
      });
  }
}

/**
 * Hands one client stream message to the running plugin: input (decrypted with KMS), a terminal
 * size or a flag. Undecryptable or malformed input is dropped (and acked); it would never get better.
 */
export function deliverClientInput(
  plugin: AgentPlugin,
  msg: ClientMessage,
  cipher: AgentCipher | undefined,
  logger: Logger,
): PluginDelivery {
  try {
    switch (msg.payloadType) {
      case PayloadType.Output:
        return plugin.input(cipher ? cipher.decrypt(msg.payload) : msg.payload);
      case PayloadType.Size: {
        const size = parseSizePayload(msg.payload);
        plugin.resize?.(size.cols, size.rows);
        return 'ready';
      }
      case PayloadType.Flag:
        return plugin.flag?.(parseFlagPayload(msg.payload)) ?? 'ready';
      default:
        return 'ready';
    }
  } catch (error) {
    logger.log('warn', 'dropping client input', {
      payloadType: msg.payloadType,
      code:
        error instanceof AgentKmsError
          ? 'undecryptable'
          : error instanceof CodecError
            ? error.code
            : 'error',
    });
    return 'ready';
  }
}
