// The sandbox notice: shown until dismissed, remembered as dismissed, reopened from the header.
import { describe, expect, it } from 'vitest';
import { createBackendNoticeStore, type NoticeMemory } from './backend-notice';

function memory(initially: boolean): NoticeMemory & { value: boolean } {
  const state = {
    value: initially,
    dismissed: () => state.value,
    noteDismissed: () => {
      state.value = true;
    },
  };
  return state;
}

describe('backend notice', () => {
  it('shows the first time, and no more once dismissed', () => {
    const remembered = memory(false);
    const store = createBackendNoticeStore(remembered);
    expect(store.getState().open).toBe(true);
    store.getState().dismiss();
    expect(store.getState().open).toBe(false);
    expect(remembered.value).toBe(true);
    expect(createBackendNoticeStore(remembered).getState().open).toBe(false);
  });

  it('opens again from the header and closes with the same button', () => {
    const store = createBackendNoticeStore(memory(true));
    expect(store.getState().open).toBe(false);
    store.getState().toggle();
    expect(store.getState().open).toBe(true);
    store.getState().toggle();
    expect(store.getState().open).toBe(false);
  });
});
