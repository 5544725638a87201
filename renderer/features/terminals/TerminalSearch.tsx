// Find-in-terminal box (xterm search addon): Enter finds the next match, Shift+Enter the previous,
// Escape closes it and clears the highlights; it counts the matches ("3 of 12") and can match case
// or a regular expression (an invalid one is said, never thrown).
import { useEffect, useRef, useState } from 'react';
import type { TerminalController } from './controller';
import type { SearchResults } from './surface';

/** The words beside the box: "3 of 12", "12 matches" (too many to number), "No matches". */
export function describeMatches(results: SearchResults | undefined, invalid: boolean): string {
  if (invalid) return 'Invalid regular expression';
  if (!results) return '';
  if (results.count === 0) return 'No matches';
  return results.index >= 0
    ? `${results.index + 1} of ${results.count}`
    : `${results.count} matches`;
}

function isValidRegex(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

export function TerminalSearch(props: { controller: TerminalController; onClose: () => void }) {
  const { controller, onClose } = props;
  const [term, setTerm] = useState('');
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [regex, setRegex] = useState(false);
  const [results, setResults] = useState<SearchResults | undefined>(undefined);
  const [invalid, setInvalid] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    inputRef.current?.focus();
    const stop = controller.onSearchResults(setResults);
    return () => {
      stop();
      controller.clearSearch();
    };
  }, [controller]);

  const find = (
    direction: 'next' | 'previous',
    text = term,
    incremental = false,
    options = { caseSensitive, regex },
  ) => {
    const bad = options.regex && !isValidRegex(text);
    setInvalid(bad);
    if (text === '' || bad) {
      controller.clearSearch();
      setResults(undefined);
      return;
    }
    if (!controller.find(text, direction, { ...options, incremental })) {
      setResults({ index: -1, count: 0 });
    }
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
      <span
        className="terminal-search__result"
        aria-live="polite"
        data-testid="terminal-search-result"
      >
        {describeMatches(results, invalid)}
      </span>
      <label className="terminal-search__option" title="Match case">
        <input
          type="checkbox"
          aria-label="Match case"
          checked={caseSensitive}
          onChange={(event) => {
            setCaseSensitive(event.target.checked);
            // The addon recounts only for a new term: forget the old one first.
            controller.clearSearch();
            find('next', term, false, { caseSensitive: event.target.checked, regex });
          }}
        />
        Aa
      </label>
      <label className="terminal-search__option" title="Regular expression">
        <input
          type="checkbox"
          aria-label="Regular expression"
          checked={regex}
          onChange={(event) => {
            setRegex(event.target.checked);
            // The addon recounts only for a new term: forget the old one first.
            controller.clearSearch();
            find('next', term, false, { caseSensitive, regex: event.target.checked });
          }}
        />
        .*
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
