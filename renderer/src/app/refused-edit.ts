import { useCallback, useMemo } from 'react';
import type { OutboxItem, OutboxKind, Patient } from '../contract';
import type { AgendaController } from '../features/agenda/controller';
import type { PrescriptionController } from '../features/prescription/controller';
import type { ReferralController } from '../features/referral/controller';

/**
 * « Modifier » on a refused outbox item, by kind: a journal post comes back into the composer;
 * a referral, an admission request or an ordonnance reopens its dialog with what was typed, and
 * sending it replaces the refused item (main/outbox: `replaces`, one transaction).
 */
export function useRefusedEdit({
  outbox,
  patient,
  editPost,
  referrals,
  agenda,
  prescriptions,
  canPrescribe,
  canRequestAdmission,
  canRefer,
}: {
  outbox: readonly OutboxItem[];
  patient: Patient | null;
  editPost: (clientId: string) => Promise<void>;
  referrals?: ReferralController | undefined;
  agenda?: AgendaController | undefined;
  prescriptions?: PrescriptionController | undefined;
  canPrescribe: boolean;
  canRequestAdmission: boolean;
  canRefer: boolean;
}) {
  const editableKinds = useMemo(() => {
    const kinds = new Set<OutboxKind>(['journal-entry']);
    if (referrals && canRefer) kinds.add('referral');
    if (agenda && canRequestAdmission) kinds.add('admission-request');
    if (prescriptions && canPrescribe) kinds.add('prescription');
    return kinds;
  }, [referrals, agenda, prescriptions, canPrescribe, canRequestAdmission, canRefer]);

  const edit = useCallback(
    async (clientId: string): Promise<void> => {
      const item = outbox.find((i) => i.id === clientId);
      if (!item || !editableKinds.has(item.kind)) return;
      if (item.kind === 'journal-entry') return editPost(clientId);
      // Another patient's item is never opened over the chart on screen.
      if (!patient || item.patientId !== patient.id) return;
      if (item.kind === 'referral') await referrals?.editRefused(clientId);
      else if (item.kind === 'admission-request') await agenda?.editRefusedAdmission(clientId);
      else if (item.kind === 'prescription') await prescriptions?.editRefused(patient, clientId);
    },
    [outbox, editableKinds, editPost, patient, referrals, agenda, prescriptions],
  );
  return { editableKinds, edit };
}
