// Find-in-terminal box (xterm search addon): Enter finds the next match, Shift+Enter the previous,
// Escape closes it and clears the highlights.
import { useEffect, useRef, useState } from 'react';
import type { TerminalController } from './controller';

export function TerminalSearch(props: { controller: TerminalController; onClose: () => void }) {
  const { controller, onClose } = props;
  const [term, setTerm] = useState('');
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [found, setFound] = useState<boolean | undefined>(undefined);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    inputRef.current?.focus();
    return () => controller.clearSearch();
  }, [controller]);

  const find = (direction: 'next' | 'previous', text = term, incremental = false) => {
    if (text === '') {
      controller.clearSearch();
      setFound(undefined);
      return;
    }
    setFound(controller.find(text, direction, { caseSensitive, incremental }));
  };

  return (
    <div className="terminal-search" role="search" aria-label="Find in terminal">
      <input
        ref={inputRef}
        className="terminal-search__input"
        type="text"
        aria-label="Find in terminal"
        placeholder="Find"
        spellCheck={false}
        value={term}
        onChange={(event) => {
          setTerm(event.target.value);
          find('next', event.target.value, true);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            find(event.shiftKey ? 'previous' : 'next');
          } else if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onClose();
          }
        }}
      />
      <span className="terminal-search__result" aria-live="polite">
        {found === false ? 'No matches' : ''}
      </span>
      <label className="terminal-search__option">
        <input
          type="checkbox"
          checked={caseSensitive}
          onChange={(event) => setCaseSensitive(event.target.checked)}
        />
        Aa
      </label>
      <button
        type="button"
        className="icon-button"
        aria-label="Previous match"
        onClick={() => find('previous')}
      >
        ↑
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Next match"
        onClick={() => find('next')}
      >
        ↓
      </button>
      <button type="button" className="icon-button" aria-label="Close find" onClick={onClose}>
        ×
      </button>
    </div>
  );
}
