// The inventory view: search box with the query grammar, refresh, how each profile and region is
// doing (with Log in / Enter MFA code where that fixes it), the virtualized instance table, and the
// selected instance's details with its open actions.
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import type { Instance } from '../../../shared/ipc';
import { ErrorDetails } from '../../ui/ErrorDetails';
import { formatAge } from './age';
import { InstanceDetails } from './InstanceDetails';
import { InstanceTable, type InstanceTableHandle } from './InstanceTable';
import { SourceStatusStrip } from './SourceStatusStrip';
import { StartDocumentDialog } from './StartDocumentDialog';
import { countOf, formatWhen } from '../../lib/words';

const SEARCH_HELP =
  'Search by name, id, IP or computer name. Narrow with tag:Key=Value, platform:linux|windows|macos, status:online|offline, region:eu-west-1, profile:name; prefix a term with - to exclude it.';

export function InventoryView({ active }: { active: boolean }) {
  const services = useServices();
  const { inventory } = services;
  const query = useStore(inventory, (state) => state.query);
  const problems = useStore(inventory, (state) => state.problems);
  const visibleCount = useStore(inventory, (state) => state.visible.length);
  const totalCount = useStore(inventory, (state) => state.instances.length);
  const load = useStore(inventory, (state) => state.load);
  const error = useStore(inventory, (state) => state.error);
  const sources = useStore(inventory, (state) => state.sources);
  const fetchedAt = useStore(inventory, (state) => state.fetchedAt);
  const refreshing = useStore(inventory, (state) => state.refreshing);
  const selectedKey = useStore(inventory, (state) => state.selectedKey);
  const outOfDate = useStore(inventory, (state) => state.outOfDate);
  const selected = useStore(inventory, (state) =>
    state.selectedKey === undefined
      ? undefined
      : state.visible.find((instance) => instance.key === state.selectedKey),
  );
  const [dialogFor, setDialogFor] = useState<Instance | undefined>(undefined);
  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<InstanceTableHandle>(null);

  useEffect(() => {
    if (inventory.getState().load === 'idle') void inventory.getState().fetch();
  }, [inventory]);

  useEffect(() => {
    if (active) searchRef.current?.focus();
  }, [active]);

  const busy = load === 'loading' || load === 'refreshing' || refreshing;
  // ISO times sort as text: the oldest cached listing still on screen.
  const oldestCached = sources
    .flatMap((source) => (source.cachedAt === undefined ? [] : [source.cachedAt]))
    .sort()[0];

  return (
    <div className={`inventory${outOfDate ? ' inventory--out-of-date' : ''}`}>
      <div className="toolbar">
        <div className="search">
          <svg
            className="search__icon"
            viewBox="0 0 16 16"
            width="14"
            height="14"
            aria-hidden="true"
          >
            <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
            <path d="M10.5 10.5L14 14" stroke="currentColor" strokeWidth="1.5" />
          </svg>
          <input
            ref={searchRef}
            className="search__input"
            type="search"
            aria-label="Search instances"
            placeholder="Search name, id, IP…   tag:env=prod   platform:linux   status:online"
            title={SEARCH_HELP}
            value={query}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => inventory.getState().setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowDown') {
                event.preventDefault();
                if (selectedKey === undefined) inventory.getState().moveSelection('first');
                tableRef.current?.focus();
              } else if (event.key === 'Enter' && visibleCount > 0) {
                event.preventDefault();
                // Only the highlighted visible row opens; with none highlighted yet, Enter
                // highlights the first one so the user sees what the next Enter opens.
                const state = inventory.getState();
                const target = state.selected();
                if (target) services.openInstance(target);
                else state.moveSelection('first');
              } else if (event.key === 'Escape' && query !== '') {
                event.preventDefault();
                inventory.getState().setQuery('');
              }
            }}
          />
        </div>
        <span className="toolbar__count" aria-live="polite" data-testid="inventory-count">
          {(load === 'loading' || refreshing) && totalCount === 0
            ? 'Listing instances…'
            : visibleCount === totalCount
              ? countOf(totalCount, 'instance')
              : `${visibleCount} of ${totalCount}`}
        </span>
        <span className="toolbar__spacer" />
        <ListingFreshness oldestCached={oldestCached} fetchedAt={fetchedAt} busy={busy} />
        <button
          type="button"
          className="button"
          onClick={() => void inventory.getState().fetch({ refresh: true })}
          aria-busy={busy}
          disabled={outOfDate}
        >
          {busy ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {problems.length > 0 ? (
        <ul className="search-problems" aria-live="polite">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      {outOfDate ? (
        <div className="banner banner--warning" role="status" data-testid="inventory-out-of-date">
          Out of date: Airlock is disconnected, so this list shows instances and their status as
          they were{fetchedAt ? ` at ${formatWhen(fetchedAt)}` : ''}.
        </div>
      ) : null}
      {error ? (
        <div className="banner banner--error" role="alert">
          Could not list instances: {error.message}
          <ErrorDetails details={error.details} />
        </div>
      ) : null}
      <SourceStatusStrip sources={sources} />
      <div className="inventory__body">
        <InstanceTable ref={tableRef} onOpen={(instance) => services.openInstance(instance)} />
        {selected ? (
          <InstanceDetails
            instance={selected}
            onOpen={() => services.openInstance(selected)}
            onOpenWithDocument={() => setDialogFor(selected)}
          />
        ) : null}
      </div>
      {dialogFor ? (
        <StartDocumentDialog
          instance={dialogFor}
          onCancel={() => setDialogFor(undefined)}
          onStart={(document) => {
            const opened = document
              ? services.openInstance(dialogFor, document)
              : services.openInstance(dialogFor);
            if (opened) setDialogFor(undefined);
          }}
        />
      ) : null}
    </div>
  );
}

/** How fresh the rows are: the last run's cached listing with its age, or the last listing's time. */
function ListingFreshness(props: {
  oldestCached: string | undefined;
  fetchedAt: string | undefined;
  busy: boolean;
}) {
  if (props.oldestCached !== undefined) {
    return (
      <span className="toolbar__meta" data-testid="inventory-cached">
        Showing the last run&apos;s listing ({formatAge(props.oldestCached, Date.now())})
        {props.busy ? ', listing again…' : ''}
      </span>
    );
  }
  return props.fetchedAt ? (
    <span className="toolbar__meta">Updated {formatWhen(props.fetchedAt)}</span>
  ) : null;
}
