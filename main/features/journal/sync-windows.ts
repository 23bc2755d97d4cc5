/**
 * Disjoint date windows of a concurrent first sync (issue 17, item 4): the journal older than its
 * newest page is split into windows fetched at the same time, each paged newest first.
 *
 * Windows are half-open on dates (`from` inclusive, `before` exclusive; the newest one ends with
 * `upTo` inclusive at the oldest date of the newest page), so entries sharing one timestamp
 * always fall in exactly one window: none is lost or fetched twice at a boundary.
 */
export interface SyncWindow {
  from?: string;
  before?: string;
  upTo?: string;
  /** The platform's `next` link of the last page stored (where this window resumes). */
  resumeUrl?: string;
  /** Date of the oldest entry this window has stored: every newer one of the window is stored. */
  storedDownTo?: string;
}

/** What is known to be stored without a gap: every entry dated after (or at, if inclusive) `date`. */
export interface CompleteBound {
  date: number;
  inclusive: boolean;
}

/**
 * Windows over [oldest, upTo] newest first, equal in time: a heuristic (journals are written
 * steadily); an uneven journal only makes some windows longer, never wrong. The oldest window has
 * no lower bound, so nothing older than the probe (written meanwhile, back-dated) escapes it.
 */
export function planWindows(oldest: string, upTo: string, count: number): SyncWindow[] {
  const lo = Date.parse(oldest);
  const hi = Date.parse(upTo);
  const bounds: string[] = [];
  if (count > 1 && Number.isFinite(lo) && Number.isFinite(hi) && hi > lo) {
    for (let j = 1; j < count; j++) {
      const at = new Date(lo + Math.floor(((hi - lo) * j) / count)).toISOString();
      if (Date.parse(at) > lo && bounds[bounds.length - 1] !== at) bounds.push(at);
    }
  }
  if (bounds.length === 0) return [{ upTo }];
  const windows: SyncWindow[] = [{ from: bounds[bounds.length - 1]!, upTo }];
  for (let j = bounds.length - 1; j >= 1; j--) windows.push({ from: bounds[j - 1]!, before: bounds[j]! });
  windows.push({ before: bounds[0]! });
  return windows;
}

/**
 * The pending windows ride in the progress row's resume column (sync_progress.resume_url) as a
 * JSON array; a plain URL there is a sequential sync's `next` link (stored before windows existed).
 */
export function encodeWindows(windows: readonly SyncWindow[]): string {
  return JSON.stringify(windows);
}

export function decodeWindows(resume: string | null | undefined): SyncWindow[] | null {
  if (!resume?.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(resume);
    if (!Array.isArray(v)) return null;
    const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
    return v
      .filter((w): w is Record<string, unknown> => !!w && typeof w === 'object')
      .map((w) => {
        const out: SyncWindow = {};
        for (const k of ['from', 'before', 'upTo', 'resumeUrl', 'storedDownTo'] as const) {
          const s = str(w[k]);
          if (s !== undefined) out[k] = s;
        }
        return out;
      });
  } catch {
    return null;
  }
}

/**
 * The newest pending window tells how far down the store is complete (windows are kept newest
 * first and dropped once done). Null: nothing known (no window has stored anything and the
 * newest is open-ended), the store answers as it is.
 */
export function completeBound(pending: readonly SyncWindow[]): CompleteBound | null {
  const w = pending[0];
  if (!w) return null;
  if (w.storedDownTo) return { date: Date.parse(w.storedDownTo), inclusive: false };
  if (w.upTo) return { date: Date.parse(w.upTo), inclusive: false };
  if (w.before) return { date: Date.parse(w.before), inclusive: true };
  return null;
}

export function isAbove(date: string, bound: CompleteBound): boolean {
  const t = Date.parse(date);
  return t > bound.date || (bound.inclusive && t === bound.date);
}
