import type { RelaisClient, RelaisErrorShape, RelaisEvent } from '../../contract';
import { ExternalStore } from '../../state/external-store';

/**
 * The chart on screen is no longer the practice software's patient (issue 15): a launch was
 * refused (wrong INS key, unknown patient…) or is held for the GP's check (traits differ, no INS).
 * Until the GP chooses — answers the held launch, opens a patient, keeps or closes this chart —
 * the window greys the chart out and makes it read-only.
 */
export interface ChartHoldState {
  /** `error`: why the launch was refused (shown in the notice, legible above the greyed chart). */
  hold: { reason: 'refused' | 'held'; error?: RelaisErrorShape } | null;
}

export class ChartHoldController extends ExternalStore<ChartHoldState> {
  constructor(
    private readonly client: RelaisClient,
    /** Whether a chart is on screen (nothing to grey out otherwise); the window also checks it. */
    private readonly chartOpen: () => boolean = () => true,
  ) {
    super({ hold: null });
  }

  /** Listens to the core's events until the returned function is called (a component's effect). */
  connect(): () => void {
    return this.client.onEvent((e) => this.handleEvent(e));
  }

  /** « Continuer sur ce dossier » (or the chart was closed): the GP chose. */
  release = (): void => {
    if (this.state.hold) this.set({ hold: null });
  };

  private handleEvent(e: RelaisEvent): void {
    switch (e.type) {
      case 'launch-failed':
        if (this.chartOpen()) this.set({ hold: { reason: 'refused', error: e.error } });
        return;
      case 'identity-confirmation-required':
      case 'patient-candidates':
        if (this.chartOpen()) this.set({ hold: { reason: 'held' } });
        return;
      case 'patient-changed':
        // A patient was opened: by the launch, once confirmed, or by the GP's own choice.
        this.release();
        return;
    }
  }
}
