import type React from 'react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { measureElement as measureRow, useVirtualizer } from '@tanstack/react-virtual';

/**
 * What the list learnt in this window, kept across patients (the list is remounted per patient):
 * the scroll area's size, and each row's measured height per window width. Without them a new
 * list started from a 0 × 0 area and estimated heights, drew a few rows, measured, and rendered
 * again before the first paint (React Profiler: a nested update of ~2.8 ms per switch, then a
 * second commit and layout). With them the first render is the right one, and the rows are still
 * measured (a stale height is corrected at once). Benchmark: docs/ui.md « Third pass ».
 */
const rowHeights = new Map<string, number>();
const ROW_HEIGHTS_KEPT = 20_000;
const heightKey = (key: string | number) => `${window.innerWidth}:${key}`;
let lastScrollRect: { width: number; height: number } | null = null;
import { dateOfDayKey, dayLabel, formatDateTime, formatFullDay, formatTime, groupByDay, localDayKey } from '../../format';
import { errorMessage, fr } from '../../i18n/fr';
import type { JournalEntry } from '../../contract';
import type { JournalState } from './controller';
import { useToday } from '../../today';
import { JournalEntryView } from './JournalEntryView';
import { BackfillProgress } from './BackfillProgress';
import type { ViewedMedia } from '../../ui/MediaViewer';
import { SinceLastVisit, sinceLastVisitId } from './SinceLastVisit';
import { announceJournalPainted } from '../../state/journal-first';

interface Props {
  journal: JournalState;
  /** The platform cannot be reached: say since when the journal on screen dates. */
  offline: boolean;
  onTogglePin: (entryId: string, pinned: boolean) => void;
  onReply?: (entry: JournalEntry) => void;
  onAcknowledge?: (entry: JournalEntry) => void;
  /** « Créer une tâche » on a message (issue 15). */
  onCreateTask?: (entry: JournalEntry) => void;
  toolbar?: React.ReactNode;
  mediaUrl: (src: string) => string;
  onLoadMore: () => void;
  onOpenMedia: (media: ViewedMedia) => void;
  /** Incremented by the « prochain non lu » shortcut (Alt+U): focus the next unread entry. */
  nextUnreadSignal?: number;
  /** « Voir le message » from a task (issue 15): scroll to this entry; `n` changes on every request. */
  jumpRequest?: { entryId: string; n: number } | null;
}

/** Rows left below the viewport when the next (older) page is requested. */
const LOAD_MORE_THRESHOLD = 40;

function dayHeader(day: string, today: string): string {
  if (day === 'unknown') return '—';
  const label = dayLabel(day, dateOfDayKey(today));
  if (label.kind === 'today') return fr.journal.today;
  if (label.kind === 'yesterday') return fr.journal.yesterday;
  return formatFullDay(label.date);
}

function SyncStatus({ journal, today, offline }: { journal: JournalState; today: string; offline: boolean }) {
  let text: string;
  let className = 'sync-status';
  if (journal.loadingFirst) text = fr.journal.loading;
  else if (journal.refreshing) text = fr.journal.refreshing;
  else if (journal.syncError && !offline) {
    text = fr.journal.syncFailed(errorMessage(journal.syncError.code));
    className += ' sync-status--failed';
  } else if (journal.syncedAt) {
    const at = new Date(journal.syncedAt);
    text = localDayKey(at) === today ? fr.journal.updatedAt(formatTime(at)) : fr.journal.updatedOn(formatDateTime(at));
  } else if (journal.source === 'store') text = fr.journal.fromStore;
  else text = fr.journal.fromPlatform;
  return (
    <p className={className} role="status" data-source={journal.source ?? ''} data-testid="journal-status">
      {text}
    </p>
  );
}

/**
 * The patient's journal, newest first, grouped under day headers and virtualised: only the rows
 * in view (plus overscan) are in the DOM, so 10,000 entries scroll like 10. Older pages are
 * fetched as the end comes into view.
 */
export function Journal({ journal, mediaUrl, onLoadMore, onOpenMedia, offline, onTogglePin, onReply, onAcknowledge, onCreateTask, toolbar, nextUnreadSignal = 0, jumpRequest = null }: Props) {
  const today = useToday();
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => groupByDay(journal.entries), [journal.entries]);

  // TanStack Virtual returns functions the React Compiler cannot memoise; this component is
  // not compiled, so the warning does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => rowHeights.get(heightKey(rows[i]?.key ?? i)) ?? (rows[i]?.type === 'day' ? 34 : 92),
    ...(lastScrollRect ? { initialRect: lastScrollRect } : {}),
    onChange: (instance) => {
      // A hidden journal (the « Synthèse » tab at panel width) measures 0: not worth remembering.
      if (instance.scrollRect && instance.scrollRect.height > 0) lastScrollRect = instance.scrollRect;
    },
    measureElement: (el, entry, instance) => {
      const size = measureRow(el, entry, instance);
      const row = rows[instance.indexFromElement(el)];
      if (row && size > 0) {
        if (rowHeights.size >= ROW_HEIGHTS_KEPT) rowHeights.clear();
        rowHeights.set(heightKey(row.key), size);
      }
      return size;
    },
    getItemKey: (i) => rows[i]?.key ?? i,
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? (items[items.length - 1]?.index ?? -1) : -1;

  useEffect(() => {
    if (journal.nextCursor !== null && !journal.loadingMore && lastIndex >= rows.length - LOAD_MORE_THRESHOLD) {
      onLoadMore();
    }
  }, [lastIndex, rows.length, journal.nextCursor, journal.loadingMore, onLoadMore]);

  // Entries arriving on top (journal-updated) while the reader is further down must not push
  // what they are reading out of view: shift the scroll by the height of the inserted rows.
  const anchor = useRef<{ id: string; before: Set<string> } | null>(null);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const prev = anchor.current;
    if (el && prev && el.scrollTop > 0) {
      const idx = rows.findIndex((r) => r.type === 'entry' && r.key === prev.id);
      let delta = 0;
      for (let i = 0; i < idx; i++) {
        const row = rows[i];
        if (row && !prev.before.has(row.key)) delta += virtualizer.measurementsCache[i]?.size ?? 0;
      }
      if (delta > 0) el.scrollTop += delta;
    }
    const firstEntry = rows.findIndex((r) => r.type === 'entry');
    anchor.current =
      firstEntry < 0
        ? null
        : { id: rows[firstEntry]!.key, before: new Set(rows.slice(0, firstEntry).map((r) => r.key)) };
  }, [rows, virtualizer]);

  // The list was replaced (not extended): start again from the newest entry.
  useEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [journal.generation, virtualizer]);

  // Benchmarks read this mark: the first paint of this patient's journal (the component is
  // keyed by patient, so it is set once per opened patient). Scheduled from the commit that puts
  // the rows in the DOM: the frame's animation callback runs before that frame's style, layout and
  // paint, and a message posted from it runs once they are done — the mark is « just painted ».
  // (Before, a passive effect then a frame callback set it at the start of the *next* frame: up to
  // one frame late, depending on when React ran the effect.)
  const painted = useRef(false);
  useLayoutEffect(() => {
    if (journal.loadingFirst || painted.current) return;
    let cancelled = false;
    const raf = requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        if (cancelled || painted.current) return;
        painted.current = true;
        performance.mark('relais:journal-painted', { detail: { patientId: journal.patientId } });
        announceJournalPainted();
      };
      channel.port2.postMessage(null);
    });
    return () => {
      cancelled = true;
      cancelAnimationFrame(raf);
    };
  }, [journal.loadingFirst, journal.patientId]);

  // Alt+U: the next unread entry below the one that has the focus (or from the top), scrolled
  // into view and focused; after the last one, back to the first.
  const lastSignal = useRef(nextUnreadSignal);
  useEffect(() => {
    if (nextUnreadSignal === lastSignal.current) return;
    lastSignal.current = nextUnreadSignal;
    const el = scrollRef.current;
    if (!el) return;
    const focusedRow = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-index]');
    const from = focusedRow && el.contains(focusedRow) ? Number(focusedRow.dataset.index) + 1 : 0;
    const unread = (i: number) => {
      const row = rows[i];
      return row?.type === 'entry' && row.entry.unread === true;
    };
    let target = -1;
    for (let i = from; i < rows.length && target < 0; i++) if (unread(i)) target = i;
    for (let i = 0; i < from && target < 0; i++) if (unread(i)) target = i;
    if (target < 0) {
      el.focus();
      return;
    }
    virtualizer.scrollToIndex(target, { align: 'start' });
    let tries = 0;
    const focusRow = () => {
      const row = el.querySelector<HTMLElement>(`[data-index="${target}"]`);
      if (row) row.focus();
      else if (++tries < 10) requestAnimationFrame(focusRow);
    };
    requestAnimationFrame(focusRow);
  }, [nextUnreadSignal, rows, virtualizer]);

  const measure = useCallback((el: HTMLElement | null) => virtualizer.measureElement(el), [virtualizer]);
  // « Depuis votre dernière visite »: above the newest entry already read, when newer ones are unread.
  const sinceId = useMemo(() => sinceLastVisitId(journal.entries), [journal.entries]);
  // A reply's quote scrolls to the entry it answers (when loaded), and flashes it.
  const jumpTo = useCallback(
    (entryId: string) => {
      const index = rows.findIndex((r) => r.type === 'entry' && r.key === entryId);
      if (index < 0) return;
      virtualizer.scrollToIndex(index, { align: 'center' });
      requestAnimationFrame(() => {
        const el = scrollRef.current?.querySelector<HTMLElement>(`[data-entry-id="${CSS.escape(entryId)}"]`);
        el?.classList.add('entry--jumped');
        setTimeout(() => el?.classList.remove('entry--jumped'), 1500);
      });
    },
    [rows, virtualizer],
  );
  // A request from outside the journal (a task's « Voir le message »): the same jump as a quote's.
  const lastJump = useRef<number | null>(null);
  useEffect(() => {
    if (!jumpRequest || jumpRequest.n === lastJump.current) return;
    lastJump.current = jumpRequest.n;
    jumpTo(jumpRequest.entryId);
  }, [jumpRequest, jumpTo]);
  const shown = journal.entries.length;

  return (
    <section className="journal" id="journal-section" aria-labelledby="journal-heading">
      <div className="journal-bar">
        <h2 className="section-title" id="journal-heading">
          {fr.journal.heading}
        </h2>
        {!journal.loadingFirst && <p className="journal-count">{fr.journal.count(shown, Math.max(journal.total, shown))}</p>}
        <SyncStatus journal={journal} today={today} offline={offline} />
      </div>
      <BackfillProgress journal={journal} />
      {offline && (
        <p className="offline-banner" role="status" data-testid="offline-banner">
          {journal.syncedAt ? fr.sync.offlineSince(formatDateTime(new Date(journal.syncedAt))) : fr.sync.offlineNever}
          <span className="muted"> · {fr.sync.reconnecting}</span>
        </p>
      )}
      {toolbar}
      <div
        className="journal-scroll"
        ref={scrollRef}
        data-testid="journal"
        data-patient-id={journal.patientId}
        data-loading={journal.loadingFirst ? 'true' : 'false'}
        tabIndex={0}
        aria-label={fr.journal.label}
      >
        {!journal.loadingFirst && shown === 0 && <p className="journal-empty">{fr.journal.empty}</p>}
        {shown > 0 && (
          <div className="journal-rows" role="list" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              return (
                <div
                  key={item.key}
                  role="listitem"
                  className={row.type === 'day' ? 'row row--day' : 'row'}
                  data-index={item.index}
                  tabIndex={-1}
                  ref={measure}
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  {row.type === 'day' ? (
                    <h3 className="day-header">{dayHeader(row.day, today)}</h3>
                  ) : (
                    <>
                    {row.entry.id === sinceId && <SinceLastVisit />}
                    <JournalEntryView
                      entry={row.entry}
                      onJumpTo={jumpTo}
                      {...(onCreateTask ? { onCreateTask } : {})}
                      mediaUrl={mediaUrl}
                      onOpenMedia={onOpenMedia}
                      onTogglePin={onTogglePin}
                      {...(onReply ? { onReply } : {})}
                      {...(onAcknowledge ? { onAcknowledge } : {})}
                    />
                    </>
                  )}
                </div>
              );
            })}
          </div>
        )}
        {journal.loadingMore && <p className="journal-more">{fr.journal.loadingMore}</p>}
        {!journal.loadingFirst && shown > 0 && journal.nextCursor === null && (
          <p className="journal-end">{fr.journal.end}</p>
        )}
      </div>
    </section>
  );
}
