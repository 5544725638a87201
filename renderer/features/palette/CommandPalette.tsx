// The command palette: a search box over every instance, saved profile, forward and command
// (items.ts), ranked by fuzzy match with the recently used first (fuzzy.ts, recents.ts). Enter runs
// the highlighted row's action; Shift+Enter on an instance starts a Session document on it.
// Mounted once by the app; it registers its own commands and keys while mounted.
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import type { Instance } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { Dialog } from '../../ui/Dialog';
import { StartDocumentDialog } from '../inventory/StartDocumentDialog';
import { rankItems, type Ranked } from './fuzzy';
import { focusInventorySearch, paletteItems, type PaletteItem } from './items';
import { registerPaletteCommands } from './palette-commands';
import { browserStorage, createRecents, type Recents } from './recents';

/** Rows shown at once: the best matches; typing more narrows the rest in. */
const MAX_ROWS = 50;

const KIND_LABELS: Readonly<Record<PaletteItem['kind'], string>> = {
  instance: 'Instance',
  profile: 'Profile',
  forward: 'Forward',
  command: 'Command',
};

function Highlighted(props: { text: string; positions: readonly number[] }) {
  const marked = new Set(props.positions);
  return (
    <>
      {[...props.text].map((char, index) =>
        marked.has(index) ? <mark key={index}>{char}</mark> : char,
      )}
    </>
  );
}

function PaletteDialog(props: {
  recents: Recents;
  onClose: () => void;
  onDocument: (instance: Instance) => void;
}) {
  const services = useServices();
  const { inventory, forwards } = services;
  const instances = useStore(inventory, (state) => state.instances);
  const forwardList = useStore(forwards, (state) => state.forwards);
  const profiles = useStore(forwards, (state) => state.profiles);
  const [query, setQuery] = useState('');
  const [highlight, setHighlight] = useState(0);

  useEffect(() => {
    if (forwards.getState().load === 'idle') void forwards.getState().fetch();
  }, [forwards]);

  // Rebuilt when a listing changes under the open palette (the inventory arriving, say).
  const items = useMemo(
    () => paletteItems(services),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the listings are what change the items
    [services, instances, forwardList, profiles],
  );
  const ranked: Ranked<PaletteItem>[] = useMemo(
    () => rankItems(items, query, props.recents.list(), MAX_ROWS),
    [items, query, props.recents],
  );
  const current = ranked[Math.min(highlight, ranked.length - 1)];

  const choose = (entry: Ranked<PaletteItem> | undefined, withDocument: boolean) => {
    if (!entry) return;
    props.recents.use(entry.item.id);
    props.onClose();
    if (withDocument && entry.item.instance) props.onDocument(entry.item.instance);
    else entry.item.run();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const move = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 }[event.key];
    if (move !== undefined && ranked.length > 0) {
      event.preventDefault();
      setHighlight((index) => Math.max(0, Math.min(ranked.length - 1, index + move)));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(current, event.shiftKey);
    }
  };

  const listId = 'palette-results';
  const optionId = (index: number) => `palette-option-${index}`;
  return (
    <Dialog title="Go to…" className="palette" onCancel={props.onClose} closeOnBackdrop>
      <input
        className="palette__input"
        type="text"
        role="combobox"
        aria-label="Search instances, profiles, forwards and commands"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={current ? optionId(ranked.indexOf(current)) : undefined}
        placeholder="Instance name or id, profile, forward or command"
        value={query}
        autoFocus
        spellCheck={false}
        onChange={(event) => {
          setQuery(event.target.value);
          setHighlight(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul className="palette__results" id={listId} role="listbox" aria-label="Results">
        {ranked.map((entry, index) => (
          <li
            key={entry.item.id}
            id={optionId(index)}
            role="option"
            aria-selected={entry === current}
            className={`palette__row${entry === current ? ' palette__row--current' : ''}`}
            onMouseMove={() => setHighlight(index)}
            onClick={(event) => choose(entry, event.shiftKey)}
          >
            <span className="palette__kind">{KIND_LABELS[entry.item.kind]}</span>
            <span className="palette__label">
              <Highlighted text={entry.item.label} positions={entry.labelPositions} />
            </span>
            <span className="palette__detail">{entry.item.detail}</span>
            {entry === current ? (
              <span className="palette__action">{entry.item.action}</span>
            ) : null}
          </li>
        ))}
      </ul>
      {ranked.length === 0 ? <p className="palette__empty">Nothing matches “{query}”.</p> : null}
      <p className="palette__hint">
        Enter: {current?.item.action ?? 'run'} · Shift+Enter on an instance: start a Session
        document · Esc: close
      </p>
    </Dialog>
  );
}

export function CommandPalette() {
  const services = useServices();
  const [open, setOpen] = useState(false);
  const [documentFor, setDocumentFor] = useState<Instance | undefined>(undefined);
  const recents = useMemo(() => createRecents(browserStorage()), []);

  useEffect(
    () =>
      registerPaletteCommands(services.commands, {
        open: () => setOpen(true),
        focusSearch: () => focusInventorySearch(services),
      }),
    [services],
  );

  return (
    <>
      {open ? (
        <PaletteDialog
          recents={recents}
          onClose={() => setOpen(false)}
          onDocument={(instance) => setDocumentFor(instance)}
        />
      ) : null}
      {documentFor ? (
        <StartDocumentDialog
          instance={documentFor}
          onCancel={() => setDocumentFor(undefined)}
          onStart={(document) => {
            const opened = document
              ? services.openInstance(documentFor, document)
              : services.openInstance(documentFor);
            if (opened) setDocumentFor(undefined);
          }}
        />
      ) : null}
    </>
  );
}
