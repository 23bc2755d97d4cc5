import type { Referral, ReferralRecipient, ReferralUrgency } from '../../../contract';

/** A referral to create (ServiceRequest + Task); identifiers derive from clientId. */
export interface NewReferral {
  clientId: string;
  patientId: string;
  requesterId: string;
  /** PractitionerRole or Organization of the recipient (the Task's owner), with how it reads. */
  recipient: { reference: string; display: string };
  reason: string;
  urgency: ReferralUrgency;
  expectedAction?: string;
  desiredDate?: string;
  /** Files already on the platform and the journal entries that go with the referral. */
  supportingInfo: { reference: string; display: string }[];
  authoredOn: string;
}

/** Referral part of the Platform port (main/platform/port.ts). Throws RelaisError. */
export interface ReferralPort {
  /** ServiceRequest then its Task, each with If-None-Exist on an identifier derived from clientId. */
  createReferral(referral: NewReferral): Promise<{ serviceRequestId: string; taskId: string }>;
  /** The patient's referrals with the status of their Task, newest first. */
  listReferrals(patientId: string): Promise<Omit<Referral, 'local'>[]>;
  /** Professionals (PractitionerRole) and services / establishments (Organization) of the referential. */
  listReferralRecipients(): Promise<ReferralRecipient[]>;
}
