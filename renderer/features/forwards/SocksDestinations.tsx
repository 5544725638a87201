// Per-destination statistics of SOCKS forwards: every host and port clients asked for through the
// instance in this run, with its connections (now, total, refused) and bytes each way.
import type { ForwardView } from '../../../shared/ipc';
import { formatBytes } from './format';

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function SocksDestinations(props: { forwards: readonly ForwardView[] }) {
  const socks = props.forwards.filter(
    (forward) => forward.remote.kind === 'socks' && (forward.stats.destinations ?? []).length > 0,
  );
  if (socks.length === 0) return null;
  return (
    <>
      {socks.map((forward) => (
        <section
          key={forward.id}
          className="card forwards__section"
          aria-label={`Destinations of ${forward.name}`}
          data-testid="socks-destinations"
        >
          <h2 className="card__title">Destinations of {forward.name}</h2>
          <table className="forwards__destinations">
            <thead>
              <tr>
                <th scope="col">Destination</th>
                <th scope="col">Open</th>
                <th scope="col">Connections</th>
                <th scope="col">Failed</th>
                <th scope="col">Received</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {(forward.stats.destinations ?? []).map((destination) => (
                <tr
                  key={hostPort(destination.host, destination.port)}
                  data-testid="socks-destination"
                >
                  <td className="mono" title={destination.lastError}>
                    {hostPort(destination.host, destination.port)}
                  </td>
                  <td>{destination.connectionsNow}</td>
                  <td>{destination.connectionsTotal}</td>
                  <td>{destination.failures}</td>
                  <td>{formatBytes(destination.bytesIn)}</td>
                  <td>{formatBytes(destination.bytesOut)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}
