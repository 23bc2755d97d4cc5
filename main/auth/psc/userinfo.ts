import { z } from 'zod';
import { isValidRpps } from '../../../contract';
import { PscError } from './errors';

/**
 * PSC userinfo, as much of it as Relais reads. Fields are optional and unknown ones kept: PSC
 * adds attributes over time, and an empty string means « none » in its answers.
 */
const opt = z.string().optional().nullable();

const ActivitySchema = z.looseObject({
  codeModeExercice: opt,
  codeSecteurDActivite: opt,
  codeRole: opt,
  codeGenreActivite: opt,
  identifiantTechniqueDeLaStructure: opt,
  ancienIdentifiantDeLaStructure: opt,
  raisonSocialeSite: opt,
  enseigneCommercialeSite: opt,
  numeroFinessSite: opt,
  numeroFinessetablissementJuridique: opt,
  numeroSiretSite: opt,
  numeroSirenSite: opt,
  numeroVoie: opt,
  libelleVoie: opt,
  codeTypeDeVoie: opt,
  codePostal: opt,
  bureauCedex: opt,
  codeCommune: opt,
  telephone: opt,
});

const ExerciceSchema = z.looseObject({
  codeProfession: z.string(),
  codeCategorieProfessionnelle: opt,
  codeCiviliteDExercice: opt,
  nomDExercice: opt,
  prenomDExercice: opt,
  codeTypeSavoirFaire: opt,
  codeSavoirFaire: opt,
  activities: z.array(ActivitySchema).optional().nullable(),
});

export const PscUserInfoSchema = z.looseObject({
  sub: z.string().min(1),
  /** idNatPS: '8' + RPPS, or '0' + ADELI. */
  SubjectNameID: z.string().min(2),
  family_name: opt,
  given_name: opt,
  preferred_username: opt,
  SubjectRefPro: z
    .looseObject({
      codeCivilite: opt,
      exercices: z.array(ExerciceSchema).optional().nullable(),
    })
    .optional()
    .nullable(),
});
export type PscUserInfo = z.infer<typeof PscUserInfoSchema>;

/** One practice site of one exercice (the professional picks the one they work at now). */
export interface PscSite {
  /** Stable within this userinfo: `<exercice index>.<activity index>`. */
  key: string;
  professionCode: string;
  /** e.g. { type: 'S', code: 'SM54' } (médecine générale). */
  savoirFaire: { type: string | null; code: string } | null;
  /** raison sociale, or enseigne, of the site. */
  label: string;
  /** identifiantTechniqueDeLaStructure (idNatSt-like technical id). */
  structureId: string | null;
  finess: string | null;
  siret: string | null;
  modeExercice: string | null;
  secteurActivite: string | null;
  role: string | null;
  address: string | null;
}

export interface PscExercice {
  professionCode: string;
  category: string | null;
  civility: string | null;
  familyName: string | null;
  givenName: string | null;
  savoirFaire: { type: string | null; code: string } | null;
  sites: PscSite[];
}

export interface PscProfessional {
  /** The OIDC subject at PSC (not the RPPS). */
  sub: string;
  idNatPs: string;
  /** 11 digits when the idNatPS is RPPS-based ('8' + RPPS), else null. */
  rpps: string | null;
  /** When the idNatPS is ADELI-based ('0' + ADELI). */
  adeli: string | null;
  familyName: string;
  givenName: string;
  exercices: PscExercice[];
  /** Every site of every exercice; several → the professional chooses (chooseSite). */
  sites: PscSite[];
}

const text = (v: string | null | undefined): string | null => (v === undefined || v === null || v.trim() === '' ? null : v.trim());

export function mapUserInfo(raw: unknown): PscProfessional {
  const parsed = PscUserInfoSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PscError('USERINFO', `unexpected userinfo (${parsed.error.issues[0]?.path.join('.') ?? '?'}: ${parsed.error.issues[0]?.message ?? ''})`);
  }
  const u = parsed.data;
  const idNatPs = u.SubjectNameID.trim();
  const rpps = /^8\d{11}$/.test(idNatPs) && isValidRpps(idNatPs.slice(1)) ? idNatPs.slice(1) : null;
  const adeli = /^0[0-9A-Z]{9}$/.test(idNatPs) ? idNatPs.slice(1) : null;
  if (!rpps && !adeli) throw new PscError('NOT_A_PROFESSIONAL', 'SubjectNameID is not an RPPS- or ADELI-based idNatPS');
  const exercices: PscExercice[] = (u.SubjectRefPro?.exercices ?? []).map((e, i) => {
    const savoirFaire = text(e.codeSavoirFaire) ? { type: text(e.codeTypeSavoirFaire), code: text(e.codeSavoirFaire)! } : null;
    return {
      professionCode: e.codeProfession,
      category: text(e.codeCategorieProfessionnelle),
      civility: text(e.codeCiviliteDExercice),
      familyName: text(e.nomDExercice),
      givenName: text(e.prenomDExercice),
      savoirFaire,
      sites: (e.activities ?? []).map((a, j) => ({
        key: `${i}.${j}`,
        professionCode: e.codeProfession,
        savoirFaire,
        label: text(a.raisonSocialeSite) ?? text(a.enseigneCommercialeSite) ?? 'Site sans nom',
        structureId: text(a.identifiantTechniqueDeLaStructure),
        finess: text(a.numeroFinessSite),
        siret: text(a.numeroSiretSite),
        modeExercice: text(a.codeModeExercice),
        secteurActivite: text(a.codeSecteurDActivite),
        role: text(a.codeRole),
        address: [text(a.numeroVoie), text(a.libelleVoie), text(a.codePostal) ?? text(a.bureauCedex)].filter(Boolean).join(' ') || null,
      })),
    };
  });
  const first = exercices[0];
  return {
    sub: u.sub,
    idNatPs,
    rpps,
    adeli,
    familyName: text(u.family_name) ?? first?.familyName ?? '',
    givenName: text(u.given_name) ?? first?.givenName ?? '',
    exercices,
    sites: exercices.flatMap((e) => e.sites),
  };
}

/** The site the professional works at for this session: the only one, or their choice among several. */
export function chooseSite(professional: PscProfessional, key?: string): PscSite | null {
  if (key === undefined) return professional.sites.length === 1 ? professional.sites[0]! : null;
  const site = professional.sites.find((s) => s.key === key);
  if (!site) throw new PscError('USERINFO', `no site ${key} in this professional's activities`);
  return site;
}
