import { z } from 'zod';
import { isValidRpps } from './rpps';

/** The four INS identifier systems FR Core accepts (DOMAIN.md). Demo data uses TEST/DEMO only. */
export const INS_OIDS = {
  NIR: '1.2.250.1.213.1.4.8',
  NIA: '1.2.250.1.213.1.4.9',
  NIR_TEST: '1.2.250.1.213.1.4.10',
  NIR_DEMO: '1.2.250.1.213.1.4.11',
} as const;
export const InsOidSchema = z.enum([INS_OIDS.NIR, INS_OIDS.NIA, INS_OIDS.NIR_TEST, INS_OIDS.NIR_DEMO]);
export type InsOid = z.infer<typeof InsOidSchema>;

export const InsSchema = z.object({
  /** 15 characters: 13 (digits, or 2A/2B at the department) + a 2-digit key. */
  value: z.string().regex(/^[12378][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{6}[0-9]{2}$/),
  oid: InsOidSchema,
});
export type Ins = z.infer<typeof InsSchema>;

export const SexSchema = z.enum(['F', 'M', 'U']);
export type Sex = z.infer<typeof SexSchema>;

/** RNIV identity status: provisional, checked against a document, retrieved via INSi, qualified. */
export const IdentityStatusSchema = z.enum(['PROV', 'VALI', 'RECUP', 'QUAL']);
export type IdentityStatus = z.infer<typeof IdentityStatusSchema>;

/** Birth date, possibly partially unknown (RNIV allows 00 for unknown month/day). */
export const BirthDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** INSEE commune code (5 characters, Corsica 2A/2B) or 99xxx for a birth abroad. */
export const InseeCodeSchema = z.string().regex(/^(?:\d{5}|2[AB]\d{3})$/);

export const StrictTraitsSchema = z.object({
  birthName: z.string().min(1).max(100),
  firstNames: z.array(z.string().min(1).max(100)).min(1).max(10),
  birthDate: BirthDateSchema,
  sex: SexSchema,
  birthPlace: InseeCodeSchema.optional(),
});
export type StrictTraits = z.infer<typeof StrictTraitsSchema>;

export const PatientSchema = StrictTraitsSchema.extend({
  id: z.string().min(1),
  ins: InsSchema.nullable(),
  identityStatus: IdentityStatusSchema,
  usedName: z.string().optional(),
  usedFirstName: z.string().optional(),
});
export type Patient = z.infer<typeof PatientSchema>;

export const ProfessionSchema = z.object({
  /** TRE-G15 code: 10 médecin, 21 pharmacien, 60 infirmier, 70 masseur-kinésithérapeute… */
  code: z.string().min(1),
  label: z.string().min(1),
});
export type Profession = z.infer<typeof ProfessionSchema>;

/** idNatPS: '8' + RPPS for a health professional; '3' + FINESS + '/' + staff number for structure staff (CPE). */
export const IdNatPsSchema = z.string().regex(/^(?:8\d{11}|[0-9][0-9A-Z]{1,20}\/[0-9A-Za-z]{1,20})$/);

export const ProfessionalSchema = z.object({
  id: z.string().min(1),
  /** 11-digit RPPS of a health professional; absent for structure staff (CPE holders: secretaries). */
  /** 11 digits, the last a Luhn check digit (contract/rpps.ts). */
  rpps: z.string().refine(isValidRpps, 'RPPS: 11 digits with a valid check digit').optional(),
  /** National id of the card holder: always present (staff have no RPPS, so this is their id). */
  idNatPs: IdNatPsSchema,
  familyName: z.string().min(1),
  givenName: z.string().min(1),
  profession: ProfessionSchema,
  /** Free label shown next to the name: "Médecin généraliste", "Coordinatrice d'appui"… */
  roleLabel: z.string().min(1),
  organization: z.string().optional(),
});
export type Professional = z.infer<typeof ProfessionalSchema>;

export const JOURNAL_KINDS = [
  'text',
  'voice',
  'photo',
  'document',
  'alert',
  'appointment',
  'hospitalisation',
  'treatment-change',
  /** Referral to another professional or service (adressage). */
  'referral',
  /** The PPS was created, reviewed or changed. */
  'pps',
  /** A request for a hospital admission (and its cancellation or reminder): not an admission (issue 15). */
  'admission-request',
] as const;
export const JournalKindSchema = z.enum(JOURNAL_KINDS);
export type JournalKind = z.infer<typeof JournalKindSchema>;

export const AttachmentSchema = z.object({
  contentType: z.string().min(1),
  title: z.string(),
  /** Absolute URL the renderer may load (served by the host, never a file path). */
  url: z.string().min(1),
  size: z.number().int().nonnegative().optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const AuthorSchema = z.object({
  id: z.string(),
  name: z.string(),
  roleLabel: z.string(),
});
export type Author = z.infer<typeof AuthorSchema>;

/**
 * Who may read an entry (DocumentReference.securityLabel, docs/fhir-mapping.md): `medical` entries
 * (results, diagnoses, medical notes) are never shown to a secretary; absent means normal.
 */
export const CONFIDENTIALITIES = ['normal', 'medical'] as const;
export const ConfidentialitySchema = z.enum(CONFIDENTIALITIES);
export type Confidentiality = z.infer<typeof ConfidentialitySchema>;

/** What an entry is about: care, or administration (appointments, admissions, paperwork: what a secretary may post). */
export const ENTRY_CATEGORIES = ['care', 'administrative'] as const;
export const EntryCategorySchema = z.enum(ENTRY_CATEGORIES);
export type EntryCategory = z.infer<typeof EntryCategorySchema>;

export const JournalEntrySchema = z.object({
  id: z.string().min(1),
  patientId: z.string().min(1),
  kind: JournalKindSchema,
  /** ISO 8601 instant. */
  date: z.string().min(1),
  author: AuthorSchema,
  text: z.string(),
  attachments: z.array(AttachmentSchema),
  urgent: z.boolean(),
  replyTo: z.string().optional(),
  /**
   * A reply: who wrote the entry it answers and its first words, read from the local store when
   * the page is built (never stored with the entry); absent when that entry is not in the store.
   */
  replyQuote: z.object({ author: z.string(), text: z.string() }).optional(),
  /** Platform version id, used for ETag / If-Match. */
  version: z.string(),
  /** For the signed-in professional: arrived since they last read this journal. */
  unread: z.boolean().optional(),
  /** Pinned by the signed-in professional. */
  pinned: z.boolean().optional(),
  /** Posted here and waiting in the outbox: not on the platform yet (docs/outbox.md). */
  pending: z.boolean().optional(),
  /** Absent on rows stored before roles existed: read as normal. */
  confidentiality: ConfidentialitySchema.optional(),
  /** Absent: care. */
  category: EntryCategorySchema.optional(),
});
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

export const TRAIT_FIELDS = ['birthName', 'firstNames', 'birthDate', 'sex', 'birthPlace'] as const;
export const TraitDiscrepancySchema = z.object({
  field: z.enum(TRAIT_FIELDS),
  /** As the practice software sent it. */
  launch: z.string(),
  /** As the platform holds it. */
  platform: z.string(),
});
export type TraitDiscrepancy = z.infer<typeof TraitDiscrepancySchema>;

/** A note being written for one patient, kept locally until it is posted or cleared. */
export const DraftSchema = z.object({
  patientId: z.string().min(1).max(64),
  text: z.string().max(20_000),
  updatedAt: z.string(),
});
export type Draft = z.infer<typeof DraftSchema>;
