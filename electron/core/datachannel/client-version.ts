// The one client version Airlock reports: OpenDataChannel, HandshakeResponse and `airlock --version`.

/**
 * The number of a released official session-manager-plugin whose behaviour Airlock implements:
 * 1.2.677.0, the release that sends its version in OpenDataChannel, as Airlock does. It is a real
 * release number, never above the newest one, because the agent enables features by client
 * version and a made-up higher number would opt into behaviour a later plugin adds. Four numeric
 * parts, because both peers compare versions component by component and treat a different
 * component count as "unsupported" (datachannel/README.md §5 and §10.1). What it enables:
 * - above 1.1.70: the agent chooses multiplexed (smux) port forwarding;
 * - above 1.2.295: NonInteractiveCommands sessions get separate stdout/stderr and an exit code,
 *   without the update notice;
 * - above 1.2.331.0: the agent turns smux keepalive off, as Airlock does (a lower value kills idle
 *   forwards after about 30 s);
 * - above 1.2.497.0, and at least 1.2.536.0 (the plugin release that reads it): the AWS CLI passes
 *   the StartSession response through an environment variable instead of the process list
 *   (datachannel/README.md §8.3).
 */
export const CLIENT_VERSION = '1.2.677.0';
