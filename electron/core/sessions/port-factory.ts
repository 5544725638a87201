// Chooses and builds the port forwarder for a Port session from its handshake properties.

import type { SessionLink } from './link';
import { MuxPortForwarder } from './mux-forwarder';
import {
  BasicPortForwarder,
  StreamForwarder,
  choosePortMode,
  toPortProperties,
  type PortForwardSession,
} from './port-session';

export function createPortForwarder(
  link: SessionLink,
  rawProperties: Record<string, unknown> | null,
): PortForwardSession {
  const properties = toPortProperties(rawProperties);
  switch (choosePortMode(properties, link.agentVersion)) {
    case 'mux':
      return new MuxPortForwarder(link, properties);
    case 'basic':
      return new BasicPortForwarder(link, properties);
    case 'stream':
      return new StreamForwarder(link, properties);
  }
}
