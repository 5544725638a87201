// The region picker of one profile: the regions enabled for its account (sources:regions) as
// checkboxes, the current ones ticked, plus a field to add a region by name, which also works when
// the list cannot be read (no permission, no credentials yet). Apply lists the profile there.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Region } from '../../../shared/domain';
import type { SourceProfile } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { parseRegion } from './store';
import { Dialog, DialogActions } from '../../ui/Dialog';

type Listing =
  | { readonly state: 'loading' }
  | { readonly state: 'failed'; readonly message: string }
  | { readonly state: 'ready' };

/**
 * Every region the dialog offers: the profile's current ones, then the account's once listed, and
 * those typed in; plus how the account's listing went.
 */
function useOfferedRegions(profile: SourceProfile) {
  const { sources } = useServices();
  const [listing, setListing] = useState<Listing>({ state: 'loading' });
  const [offered, setOffered] = useState<readonly Region[]>(() => [...profile.regions]);

  useEffect(() => {
    let live = true;
    void sources
      .getState()
      .listRegions(profile.name)
      .then((answer) => {
        if (!live) return;
        if (!answer.ok) {
          setListing({ state: 'failed', message: answer.message });
          return;
        }
        setListing({ state: 'ready' });
        setOffered((current) => [...new Set([...answer.regions, ...current])].sort());
      });
    return () => {
      live = false;
    };
  }, [sources, profile.name]);

  const offer = (region: Region) =>
    setOffered((current) => (current.includes(region) ? current : [...current, region].sort()));

  return { listing, offered, offer };
}

function ListingStatus(props: { listing: Listing }) {
  const { listing } = props;
  if (listing.state === 'loading') {
    return (
      <p className="muted" role="status">
        Reading the regions enabled for this account…
      </p>
    );
  }
  if (listing.state === 'failed') {
    return (
      <p className="banner banner--warning regions-dialog__failure" role="alert">
        Could not list the regions: {listing.message} You can still add a region by name.
      </p>
    );
  }
  return null;
}

/** A region typed by name; Enter adds it rather than applying the dialog. */
function AddRegionField(props: { onAdd: (region: Region) => void }) {
  const inputId = `${useId()}-add`;
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string | undefined>(undefined);

  const addTyped = () => {
    const region = parseRegion(typed);
    if (!region) {
      setTypedError(`"${typed.trim()}" is not a region name like eu-west-1.`);
      return;
    }
    props.onAdd(region);
    setTyped('');
    setTypedError(undefined);
  };

  return (
    <div className="field regions-dialog__add">
      <label className="field__label" htmlFor={inputId}>
        Add region
      </label>
      <div className="regions-dialog__add-row">
        <input
          id={inputId}
          className="field__input mono"
          value={typed}
          placeholder="eu-central-2"
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => {
            setTyped(event.target.value);
            setTypedError(undefined);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              // Enter adds the typed region instead of applying the dialog.
              event.preventDefault();
              if (typed.trim() !== '') addTyped();
            }
          }}
        />
        <button type="button" className="button" disabled={typed.trim() === ''} onClick={addTyped}>
          Add
        </button>
      </div>
      {typedError ? (
        <span className="field__error" role="alert">
          {typedError}
        </span>
      ) : null}
    </div>
  );
}

export function RegionsDialog(props: { profile: SourceProfile; onClose: () => void }) {
  const { profile, onClose } = props;
  const { sources } = useServices();
  const { listing, offered, offer } = useOfferedRegions(profile);
  const [chosen, setChosen] = useState<ReadonlySet<Region>>(() => new Set(profile.regions));
  const [applyError, setApplyError] = useState<string | undefined>(undefined);
  const [applying, setApplying] = useState(false);

  const toggle = (region: Region, on: boolean) => {
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(region);
      else next.delete(region);
      return next;
    });
  };

  const apply = async (event: FormEvent) => {
    event.preventDefault();
    setApplying(true);
    setApplyError(undefined);
    // Keep the account's order (sorted) rather than the order of clicks.
    const regions = offered.filter((region) => chosen.has(region));
    const ok = await sources.getState().setRegions(profile.name, regions);
    setApplying(false);
    if (ok) onClose();
    else setApplyError(sources.getState().errors[profile.name] ?? 'The regions were not saved.');
  };

  return (
    <Dialog
      title={<>Regions for {profile.name}</>}
      className="regions-dialog"
      onCancel={onClose}
      closeOnBackdrop
      onSubmit={(event) => void apply(event)}
    >
      <p className="dialog__description">
        The inventory lists {profile.label} in the regions ticked here
        {profile.defaultRegion ? `; with none ticked, in ${profile.defaultRegion}` : ''}.
        {profile.selected ? '' : ' Applying also lists this profile.'}
      </p>
      <ListingStatus listing={listing} />
      <fieldset className="regions-dialog__list">
        <legend className="visually-hidden">Regions</legend>
        {offered.map((region) => (
          <label key={region} className="regions-dialog__region">
            <input
              type="checkbox"
              checked={chosen.has(region)}
              onChange={(event) => toggle(region, event.target.checked)}
            />
            <span className="mono">{region}</span>
          </label>
        ))}
      </fieldset>
      <AddRegionField
        onAdd={(region) => {
          offer(region);
          toggle(region, true);
        }}
      />
      {applyError ? (
        <p className="banner banner--error" role="alert">
          {applyError}
        </p>
      ) : null}
      <DialogActions
        onCancel={onClose}
        submit={applying ? 'Applying…' : 'Apply'}
        submitDisabled={applying}
      />
    </Dialog>
  );
}
