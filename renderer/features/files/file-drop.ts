// Dropping files from the desktop on a terminal (its tab or its pane): the handlers that accept a
// drag holding files, mark the drop target, and ask to upload them to the shell's instance.
import { useState, type DragEvent } from 'react';
import { useServices } from '../../app/context';
import type { Services } from '../../app/services';
import type { FilesTarget } from './store';

/** A drag from the desktop carries the type "Files"; a dragged tab or text does not. */
export function hasFiles(event: DragEvent): boolean {
  return event.dataTransfer.types.includes('Files');
}

/** Why files cannot go to the instance of tab `tabKey`, or its transfer target. */
export function filesTargetOfTab(
  services: Pick<Services, 'tabs'>,
  tabKey: string,
): FilesTarget | string {
  const tab = services.tabs.getState().tabs.find((t) => t.key === tabKey);
  if (!tab) return 'That terminal is closed.';
  const { target } = tab;
  return {
    instanceId: target.instanceId,
    sourceId: target.sourceId,
    region: target.region,
    label: target.name || target.instanceId,
  };
}

export interface FileDrop {
  /** True while files are dragged over the element. */
  readonly over: boolean;
  readonly onDragOver: (event: DragEvent) => boolean;
  readonly onDragLeave: () => void;
  /** True when the drop held files (and was taken). */
  readonly onDrop: (event: DragEvent) => boolean;
}

/** Handlers for an element that stands for tab `tabKey`; each returns whether it took the event. */
export function useFileDrop(tabKey: string): FileDrop {
  const services = useServices();
  const [over, setOver] = useState(false);
  return {
    over,
    onDragOver(event) {
      if (!hasFiles(event)) return false;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      setOver(true);
      return true;
    },
    onDragLeave: () => setOver(false),
    onDrop(event) {
      setOver(false);
      if (!hasFiles(event)) return false;
      event.preventDefault();
      const files = [...event.dataTransfer.files];
      const target = filesTargetOfTab(services, tabKey);
      if (typeof target === 'string') services.app.getState().notify('error', target);
      else services.files.getState().askUpload(target, files);
      return true;
    },
  };
}
