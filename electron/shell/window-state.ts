// The main window's size and position, saved on close and restored on start (plain Node + pure checks, so it is
// tested without Electron). A saved position that is no longer on any display falls back to the default.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../storage/atomic-file.ts';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW: WindowBounds = { width: 1280, height: 800, maximized: false };
const MIN_SIDE = 400;

interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Keeps saved bounds only when they are sane and their top-left corner lies on one of the displays. */
export function restoreBounds(saved: unknown, displays: readonly Area[]): WindowBounds {
  if (typeof saved !== 'object' || saved === null) return DEFAULT_WINDOW;
  const s = saved as Partial<WindowBounds>;
  if (typeof s.width !== 'number' || typeof s.height !== 'number' || s.width < MIN_SIDE || s.height < MIN_SIDE) return DEFAULT_WINDOW;
  const maximized = s.maximized === true;
  if (typeof s.x !== 'number' || typeof s.y !== 'number') return { width: s.width, height: s.height, maximized };
  const { x, y } = s;
  const visible = displays.some((d) => x >= d.x && y >= d.y && x < d.x + d.width && y < d.y + d.height);
  return visible ? { x, y, width: s.width, height: s.height, maximized } : { width: s.width, height: s.height, maximized };
}

export function readWindowState(file: string, displays: readonly Area[]): WindowBounds {
  try {
    return restoreBounds(JSON.parse(readFileSync(file, 'utf8')), displays);
  } catch {
    return DEFAULT_WINDOW;
  }
}

export function writeWindowState(file: string, bounds: WindowBounds): void {
  writeFileAtomic(file, new TextEncoder().encode(JSON.stringify(bounds)));
}
