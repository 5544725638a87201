// The transfers in the corner stack beside the notices, newest last; an upload stopped because the
// file exists on the instance asks once whether to replace it (and keeps a Replace… button).
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import type { TransferView } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { useModals } from '../../ui/ModalHost';
import { TransferItem } from './TransferItem';

const needsReplace = (view: TransferView): boolean =>
  view.direction === 'upload' && view.state === 'failed' && view.error?.code === 'exists';

export function Transfers() {
  const { files } = useServices();
  const { confirm } = useModals();
  const transfers = useStore(files, (state) => state.transfers);
  const asked = useRef(new Set<string>());

  const askReplace = async (view: TransferView): Promise<void> => {
    const yes = await confirm({
      title: 'Replace the file?',
      message: `${view.error?.message ?? `${view.name} already exists on the instance`}. Replace it with the file you dropped?`,
      confirmLabel: 'Replace',
      danger: true,
    });
    if (yes) await files.getState().replace(view.id);
  };

  useEffect(() => {
    for (const view of transfers) {
      if (!needsReplace(view) || asked.current.has(view.id)) continue;
      asked.current.add(view.id);
      void askReplace(view);
    }
  });

  if (transfers.length === 0) return null;
  return (
    <div className="transfers" aria-label="File transfers" role="region">
      {transfers.map((view) => (
        <TransferItem key={view.id} view={view} onReplace={() => void askReplace(view)} />
      ))}
    </div>
  );
}
