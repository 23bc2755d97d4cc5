import type { RelaisEvent } from '../contract';

export type EventListener = (event: RelaisEvent) => void;

/** Fan-out of core events to every connected window / socket. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: RelaisEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // One broken window must not stop the others from hearing about the patient.
        console.error('[relais] event listener failed', error);
      }
    }
  }
}
