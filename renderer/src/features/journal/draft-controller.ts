import type { Draft, JournalEntry, JournalPostRequest, OutboxItem, Patient, RelaisClient, RelaisErrorShape } from '../../contract';
import { ExternalStore } from '../../state/external-store';

/**
 * The composer under the identity banner: the draft, saved as it is typed (per patient, so a
 * switch never loses it), the entry it answers, and the post through the core's durable outbox.
 */
export interface DraftState {
  patientId: string;
  text: string;
  /** When the text on screen was last written to the local store; null while unsaved. */
  savedAt: string | null;
  /** The draft was there when the patient was opened (kept from an earlier visit). */
  restoredFrom: string | null;
  loading: boolean;
}

export interface ComposerState {
  draft: DraftState | null;
  /** The entry the composer answers, if any. */
  replyTo: JournalEntry | null;
  /** journal.post is on its way to the core (not the platform: that is the outbox's job). */
  posting: boolean;
}

export const DRAFT_SAVE_DELAY_MS = 400;

export interface DraftDeps {
  patients: { getState(): { patient: Patient | null }; subscribe(listener: () => void): () => void };
  showError(error: RelaisErrorShape): void;
  /** The outbox item of a post, shown at once. */
  track(item: OutboxItem): void;
  /** After a post: the journal re-reads its newest page (the optimistic entry is there). */
  refreshJournal(patientId: string): void;
}

export class DraftController extends ExternalStore<ComposerState> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The patient followed, set at once (the draft itself switches after the previous one is saved). */
  private patientId: string | null = null;

  constructor(
    private readonly client: RelaisClient,
    private readonly deps: DraftDeps,
    private readonly saveDelayMs = DRAFT_SAVE_DELAY_MS,
  ) {
    super({ draft: null, replyTo: null, posting: false });
    this.own(deps.patients.subscribe(() => this.follow()), () => this.clearTimer());
    this.follow();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Another patient on screen: the draft on screen is saved, theirs is read. */
  private follow(): void {
    const id = this.deps.patients.getState().patient?.id ?? null;
    if (id === null || id === this.patientId) return;
    this.patientId = id;
    void this.switchTo(id);
  }

  setDraftText = (text: string): void => {
    const d = this.state.draft;
    if (!d || d.loading) return;
    this.set({ draft: { ...d, text, savedAt: null } });
    this.clearTimer();
    this.timer = setTimeout(() => void this.flushDraft(), this.saveDelayMs);
  };

  private unsaved(): boolean {
    const d = this.state.draft;
    return !!d && !d.loading && d.savedAt === null;
  }

  /** Writes the draft on screen now (before a switch, on blur, before a lock); safe to call at any time. */
  flushDraft = async (): Promise<void> => {
    this.clearTimer();
    const d = this.state.draft;
    if (!d || !this.unsaved()) return;
    const { patientId, text } = d;
    const r = await this.client.call('draft.save', { patientId, text });
    if (!r.ok) {
      // The text stays on screen and unsaved; the next keystroke or switch tries again.
      this.deps.showError(r.error);
      return;
    }
    const now = this.state.draft;
    if (now && now.patientId === patientId && now.text === text) {
      this.set({ draft: { ...now, savedAt: r.value?.updatedAt ?? new Date().toISOString() } });
    }
  };

  private async switchTo(patientId: string): Promise<void> {
    // Only a draft typed and not yet written is awaited: otherwise the composer switches in the
    // same render as the patient (an await here cost the window a second render before the
    // journal's paint, issue 12).
    if (this.unsaved()) await this.flushDraft();
    else this.clearTimer();
    this.set({ draft: { patientId, text: '', savedAt: null, restoredFrom: null, loading: true } });
    const r = await this.client.call('draft.get', { patientId });
    const d = this.state.draft;
    if (!d || d.patientId !== patientId) return;
    const draft: Draft | null = r.ok ? r.value : null;
    this.set({
      draft: {
        patientId,
        text: draft?.text ?? '',
        savedAt: draft?.updatedAt ?? new Date(0).toISOString(),
        restoredFrom: draft?.updatedAt ?? null,
        loading: false,
      },
    });
  }

  setReplyTo = (entry: JournalEntry | null): void => {
    this.set({ replyTo: entry });
  };

  /**
   * Publishes the composer's content. True once the outbox holds it (the draft is then cleared);
   * false on error, with the text left untouched on screen and in the saved draft.
   */
  post = async (input: Omit<JournalPostRequest, 'patientId'>): Promise<boolean> => {
    const d = this.state.draft;
    if (!d || d.loading || this.state.posting) return false;
    const patientId = d.patientId;
    const replyTo = this.state.replyTo?.patientId === patientId ? this.state.replyTo.id : undefined;
    this.set({ posting: true });
    await this.flushDraft();
    const r = await this.client.call('journal.post', { ...input, patientId, ...(replyTo ? { replyTo } : {}) });
    this.set({ posting: false });
    if (!r.ok) {
      this.deps.showError(r.error);
      return false;
    }
    this.deps.track(r.value);
    const now = this.state.draft;
    if (now && now.patientId === patientId && now.text === d.text) {
      this.clearTimer();
      this.set({ draft: { ...now, text: '', savedAt: null, restoredFrom: null } });
      await this.flushDraft();
    }
    this.set({ replyTo: null });
    this.deps.refreshJournal(patientId);
    return true;
  };
}
