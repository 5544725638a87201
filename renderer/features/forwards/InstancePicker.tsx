// The forward dialog's instance picker: a search box over the inventory (name, id, IP, source,
// region) with a list of matches showing each instance's name and where it was listed from.
// Arrow keys move through the matches, Enter picks one, Escape closes the list.
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { Instance } from '../../../shared/ipc';

/** How many matches the list shows at once; typing narrows the rest. */
const MAX_SHOWN = 50;

/** The instances whose name, id, IP, source or region contain every word of the query. */
export function matchInstances(instances: readonly Instance[], query: string): Instance[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...instances];
  return instances.filter((instance) => {
    const text = [
      instance.name,
      instance.instanceId,
      instance.ipAddress,
      instance.sourceLabel,
      instance.region,
      instance.computerName,
    ]
      .join(' ')
      .toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** "web-1 (i-0abc…)" or just the id when the instance has no name. */
export function instanceTitle(instance: Pick<Instance, 'name' | 'instanceId'>): string {
  return instance.name ? `${instance.name} (${instance.instanceId})` : instance.instanceId;
}

export function InstancePicker(props: {
  instances: readonly Instance[];
  value: string;
  onChange: (key: string) => void;
  invalid: boolean;
  describedBy?: string;
}) {
  const { instances, value, onChange } = props;
  const listId = useId();
  const labelId = useId();
  const selected = instances.find((instance) => instance.key === value);
  const [query, setQuery] = useState<string | undefined>();
  const [open, setOpen] = useState(false);
  const [highlight, setHighlight] = useState(0);
  const matches = useMemo(
    () => matchInstances(instances, query ?? '').slice(0, MAX_SHOWN),
    [instances, query],
  );
  const shownText = query ?? (selected ? instanceTitle(selected) : '');

  const pick = (instance: Instance) => {
    onChange(instance.key);
    setQuery(undefined);
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setHighlight((current) => Math.max(0, Math.min(matches.length - 1, current + step)));
    } else if (event.key === 'Enter' && open) {
      event.preventDefault();
      const instance = matches[highlight];
      if (instance) pick(instance);
    } else if (event.key === 'Escape' && open) {
      // Closes the list only, not the dialog around it.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      setQuery(undefined);
    }
  };

  const active = open ? matches[highlight] : undefined;
  return (
    <div className="field instance-picker">
      <span className="field__label" id={labelId}>
        Instance
      </span>
      <input
        className="field__input"
        role="combobox"
        aria-labelledby={labelId}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-invalid={props.invalid || undefined}
        aria-describedby={props.describedBy}
        aria-activedescendant={active ? `${listId}-${active.key}` : undefined}
        placeholder="Search by name, id, IP or source…"
        value={shownText}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          setOpen(false);
          setQuery(undefined);
        }}
        onChange={(event) => {
          setQuery(event.target.value);
          setHighlight(0);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
      />
      {open ? (
        <ul className="instance-picker__list" role="listbox" id={listId} aria-labelledby={labelId}>
          {matches.length === 0 ? (
            <li className="instance-picker__empty muted">
              {instances.length === 0 ? 'The inventory has no instances yet.' : 'No match.'}
            </li>
          ) : (
            matches.map((instance, index) => (
              <li
                key={instance.key}
                id={`${listId}-${instance.key}`}
                role="option"
                aria-selected={instance.key === value}
                className={`instance-picker__option${index === highlight ? ' instance-picker__option--active' : ''}`}
                data-instance-key={instance.key}
                // Picks before the input's blur closes the list.
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(instance);
                }}
              >
                <span className="instance-picker__name">
                  {instance.name || instance.instanceId}
                </span>
                <span className="muted mono instance-picker__meta">
                  {instance.name ? `${instance.instanceId} · ` : ''}
                  {instance.sourceLabel} · {instance.region}
                  {instance.reachability.canStartSession ? '' : ' · offline'}
                </span>
              </li>
            ))
          )}
        </ul>
      ) : null}
    </div>
  );
}
