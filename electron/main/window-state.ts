// Remembers the main window's bounds in the user data folder and keeps restored windows on screen.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/base/atomic-write';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1200, height: 800 };
export const MIN_SIZE = { width: 640, height: 420 };
const FILE = 'window-state.json';

const RectSchema = z.object({
  x: z.int(),
  y: z.int(),
  width: z.int().min(1),
  height: z.int().min(1),
});
const StateSchema = z.object({ version: z.literal(1), bounds: RectSchema, maximized: z.boolean() });

export async function loadWindowState(userDataDir: string): Promise<WindowState | undefined> {
  try {
    const parsed = StateSchema.safeParse(
      JSON.parse(await readFile(path.join(userDataDir, FILE), 'utf8')),
    );
    return parsed.success
      ? { bounds: parsed.data.bounds, maximized: parsed.data.maximized }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Private (0600, folder 0700) and atomic, through an unguessable temporary name. */
export async function saveWindowState(userDataDir: string, state: WindowState): Promise<void> {
  await writeFileAtomic(
    path.join(userDataDir, FILE),
    `${JSON.stringify({ version: 1, ...state })}\n`,
  );
}

/**
 * Returns bounds to open with: the saved ones when at least a grab-able strip of the window lies
 * on a current display (the user may have unplugged a monitor), else a default size, centred.
 */
export function restoreBounds(
  saved: Rect | undefined,
  workAreas: readonly Rect[],
): Partial<Rect> & {
  width: number;
  height: number;
} {
  if (!saved) return { ...DEFAULT_SIZE };
  const width = Math.max(MIN_SIZE.width, saved.width);
  const height = Math.max(MIN_SIZE.height, saved.height);
  const titleStrip: Rect = { x: saved.x, y: saved.y, width, height: 40 };
  const visible = workAreas.some((area) => overlap(titleStrip, area) >= 40 * 100);
  if (!visible)
    return {
      width: Math.min(width, DEFAULT_SIZE.width),
      height: Math.min(height, DEFAULT_SIZE.height),
    };
  return { x: saved.x, y: saved.y, width, height };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
