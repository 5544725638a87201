// "Remote Desktop" for a Windows instance: main forwards its port 3389 to an automatic local port
// and opens the system's RDP client there; with no client to open, this shows the address to use.
import { useState } from 'react';
import { useServices } from '../../app/context';
import type { Instance } from '../../../shared/ipc';

export function RemoteDesktopAction({ instance }: { readonly instance: Instance }) {
  const services = useServices();
  const [busy, setBusy] = useState(false);
  const [address, setAddress] = useState<{ address: string; username: string } | undefined>();
  const notify = services.app.getState().notify;

  const open = async (): Promise<void> => {
    setBusy(true);
    const result = await services.api.invoke('rdp:open', {
      instanceId: instance.instanceId,
      sourceId: instance.sourceId,
      region: instance.region,
    });
    setBusy(false);
    if (!result.ok) {
      notify('error', `Could not open Remote Desktop: ${result.error.message}`);
      return;
    }
    const answer = result.value;
    if (answer.outcome === 'address') {
      setAddress({ address: answer.address, username: answer.username });
    } else {
      setAddress(undefined);
      notify('info', `Remote Desktop to ${answer.address} (${answer.program ?? 'RDP client'})`);
    }
  };

  return (
    <div className="details__ssh" data-testid="rdp-action">
      <div className="details__actions">
        <button type="button" className="button" disabled={busy} onClick={() => void open()}>
          {busy ? 'Opening Remote Desktop…' : 'Remote Desktop'}
        </button>
      </div>
      {address ? (
        <div className="details__note" role="group" aria-label="Remote Desktop address">
          <p>
            No Remote Desktop client was found (xfreerdp or remmina). Connect yours to this address
            while the forward runs:
          </p>
          <pre data-testid="rdp-address">{address.address}</pre>
          <p>User name: {address.username}</p>
          <div className="details__actions">
            <button type="button" className="button" onClick={() => setAddress(undefined)}>
              Close
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
