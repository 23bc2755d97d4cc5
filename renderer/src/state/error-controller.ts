import type { RelaisErrorShape } from '../contract';
import { ExternalStore } from './external-store';

export interface ShownError {
  error: RelaisErrorShape;
  /** Increments so that the same error twice is announced twice. */
  seq: number;
}

/** Codes that say the platform did not answer (the window then shows itself offline). */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['PLATFORM_UNREACHABLE']);

/**
 * The window's error banner (`role="alert"`): the last refusal of a call or launch, shown with the
 * French message of its code until it is closed or a patient opens. Every controller of the main
 * window reports here, so one banner speaks for all of them.
 */
export class ErrorController extends ExternalStore<ShownError | null> {
  private seq = 0;

  constructor(
    /** Told when an error says the platform did not answer. */
    private readonly onUnreachable: () => void = () => {},
  ) {
    super(null);
  }

  show = (error: RelaisErrorShape): void => {
    this.seq += 1;
    if (UNREACHABLE_CODES.has(error.code)) this.onUnreachable();
    this.replace({ error, seq: this.seq });
  };

  dismiss = (): void => {
    if (this.state !== null) this.replace(null);
  };
}
