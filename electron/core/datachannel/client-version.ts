// The one client version Airlock reports: OpenDataChannel, HandshakeResponse and `airlock --version`.

/**
 * Four numeric parts, like the official plugin's releases, because both peers compare versions
 * component by component and treat a different component count as "unsupported"
 * (datachannel/README.md §5 and §10.1). The value declares what this client implements:
 * - above 1.1.70, so the agent chooses multiplexed (smux) port forwarding;
 * - above 1.2.312.0, so NonInteractiveCommands sessions get separate stdout/stderr and an exit code;
 * - above 1.2.331.0, so the agent turns smux keepalive off, as we do (a lower value kills idle
 *   forwards after about 30 s);
 * - above 1.2.497.0, so the AWS CLI passes the StartSession response through an environment
 *   variable instead of the process list (datachannel/README.md §8.3).
 * A major bump to 1.3 keeps it clear of every official 1.2.x release number.
 */
export const CLIENT_VERSION = '1.3.0.0';
