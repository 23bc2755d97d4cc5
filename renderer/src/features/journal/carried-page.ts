import type { JournalPage, RelaisClient } from '../../contract';

/**
 * The journal page that came with `patient-changed` (the core sends the stored newest page with
 * the patient, issue 12). It must be listening before the patient controller: that one puts the
 * patient on screen from the same event, and the journal then looks here before asking the core.
 * Taken once: a later look for the same patient (filters reset, reconnection) asks the core.
 */
export class CarriedFirstPage {
  private carried: JournalPage | null = null;
  private readonly off: () => void;

  constructor(client: RelaisClient) {
    this.off = client.onEvent((e) => {
      if (e.type === 'patient-changed') this.carried = e.firstPage ?? null;
    });
  }

  take = (patientId: string): JournalPage | null => {
    const page = this.carried;
    this.carried = null;
    return page?.patientId === patientId ? page : null;
  };

  dispose(): void {
    this.off();
  }
}
