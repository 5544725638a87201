// The profiles view: saved shell and forward presets, each started with one click (a forward
// profile starts its forward, a shell profile opens a terminal), with import and export. They live
// in the forwards store's profiles slice, which this view lists on showing.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import { ProfilesList } from '../forwards/ProfilesList';

export function ProfilesView() {
  const { forwards: store, inventory } = useServices();
  const profiles = useStore(store, (state) => state.profiles);
  const notice = useStore(store, (state) => state.profilesNotice);

  useEffect(() => {
    void store.getState().fetch();
    // Profiles that name their instance by Name tag or tag find it in the inventory.
    if (inventory.getState().load === 'idle') void inventory.getState().fetch();
  }, [store, inventory]);

  return (
    <div className="forwards profiles">
      {notice ? <div className="banner banner--warning">{notice}</div> : null}
      <div className="forwards__body">
        <ProfilesList profiles={profiles} store={store} />
      </div>
    </div>
  );
}
