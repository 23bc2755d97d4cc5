/**
 * The « Fiche de liaison urgence » (A4 PDF, pdf-lib, standard fonts: no font file to load, so it
 * is built in a few tens of milliseconds): what an emergency team needs on arrival — identity with
 * INS and its status, reason, current treatments, allergies, main problems, care team and
 * contacts (trusted person, carer), PPS summary, advance directives. What the platform does not
 * know is printed « non renseigné », never left out: the team knows it was asked.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { CareTeamMember, Patient, Pps, Treatment } from '../../../contract';

export interface FicheInput {
  patient: Patient;
  generatedAt: string;
  author: string;
  establishment: string;
  reason?: string | undefined;
  treatments: readonly Treatment[];
  /** null: the platform does not know (printed « non renseignées »); [] : none known. */
  allergies: readonly string[] | null;
  problems: readonly string[];
  careTeam: readonly CareTeamMember[];
  contacts: readonly { relation: string; name: string; phone: string | null }[];
  pps: Pps | null;
  /** true / false when the platform knows, null when not. */
  advanceDirectives: boolean | null;
}

const A4 = { width: 595.28, height: 841.89 };
const M = 40;
const INK = rgb(0.1, 0.1, 0.12);
const RED = rgb(0.7, 0.05, 0.05);
const STATUS: Record<Patient['identityStatus'], string> = {
  PROV: 'Identité provisoire',
  VALI: 'Identité validée',
  RECUP: 'Identité récupérée',
  QUAL: 'Identité qualifiée',
};

function encodable(font: PDFFont, text: string): string {
  const ok = new Set(font.getCharacterSet());
  let out = '';
  for (const ch of text.replace(/[\u202f\u2009\u2007\u00a0]/g, ' ').replace(/\r?\n/g, ' ')) out += ok.has(ch.codePointAt(0)!) ? ch : '?';
  return out;
}

function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of encodable(font, text).split(/\s+/).filter(Boolean)) {
    const next = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width || !current) current = next;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  return lines;
}

const frDay = (iso: string | null) => (iso ? iso.slice(0, 10).split('-').reverse().join('/') : '');
const frStamp = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

export async function buildEmergencyFiche(input: FicheInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Fiche de liaison urgence');
  doc.setLanguage('fr-FR');
  doc.setCreator('Relais');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = doc.addPage([A4.width, A4.height]);
  let y = A4.height - M;
  const width = A4.width - 2 * M;
  const line = (text: string, o: { font?: PDFFont; size?: number; color?: ReturnType<typeof rgb>; indent?: number } = {}) => {
    const font = o.font ?? regular;
    const size = o.size ?? 10;
    for (const l of wrap(font, text, size, width - (o.indent ?? 0))) {
      if (y < M + size) {
        page = doc.addPage([A4.width, A4.height]);
        y = A4.height - M;
      }
      page.drawText(l, { x: M + (o.indent ?? 0), y: y - size, size, font, color: o.color ?? INK });
      y -= size + 3;
    }
  };
  const section = (title: string) => {
    y -= 6;
    line(title.toUpperCase(), { font: bold, size: 10.5, color: RED });
  };
  const p = input.patient;

  line('FICHE DE LIAISON URGENCE', { font: bold, size: 16, color: RED });
  line(`Pour : ${input.establishment} — service des urgences`, { font: bold });
  line(`Établie le ${frStamp(input.generatedAt)} par ${input.author}`, { size: 9 });

  section('Identité');
  line(`${p.usedName ?? p.birthName} ${p.firstNames.join(' ')} — né(e) ${p.birthName} le ${frDay(p.birthDate)} — ${p.sex === 'F' ? 'Femme' : p.sex === 'M' ? 'Homme' : 'Sexe indéterminé'}`, { font: bold, size: 11 });
  line(`${STATUS[p.identityStatus]}${p.ins ? ` — INS (NIR) : ${p.ins.value}` : ' — sans INS'}${p.birthPlace ? ` — lieu de naissance (INSEE) : ${p.birthPlace}` : ''}`);

  section('Motif');
  line(input.reason?.trim() || 'À préciser par l’équipe des urgences.');

  section('Traitements en cours');
  const active = input.treatments.filter((t) => t.status === 'active');
  if (active.length === 0) line('Aucun traitement en cours connu de la plateforme.');
  for (const t of active) line(`• ${t.medication} — ${t.posology}`, { indent: 6 });

  section('Allergies');
  line(input.allergies === null ? 'Non renseignées.' : input.allergies.length === 0 ? 'Aucune allergie connue.' : input.allergies.join(' ; '));

  section('Problèmes principaux');
  const problems = input.problems.length > 0 ? input.problems : (input.pps?.problems ?? []);
  if (problems.length === 0) line('Non renseignés.');
  for (const pr of problems) line(`• ${pr}`, { indent: 6 });

  section('Équipe de soins');
  for (const m of input.careTeam) line(`• ${m.roleLabel} : ${m.name}${m.phone ? ` — ${m.phone}` : ''}${m.coordinator ? ' (coordination du PPS)' : ''}`, { indent: 6 });

  section('Personne de confiance, aidant');
  if (input.contacts.length === 0) line('Non renseignés.');
  for (const c of input.contacts) line(`• ${c.relation} : ${c.name}${c.phone ? ` — ${c.phone}` : ''}`, { indent: 6 });

  section('PPS');
  if (!input.pps) line('Pas de PPS sur la plateforme.');
  else {
    line(input.pps.title, { font: bold });
    for (const o of input.pps.objectives.slice(0, 4)) line(`• ${o.description}`, { indent: 6 });
    if (input.pps.alertProcedure) line(`Conduite à tenir : ${input.pps.alertProcedure}`);
  }

  section('Directives anticipées');
  line(input.advanceDirectives === null ? 'Non renseigné.' : input.advanceDirectives ? 'Le patient a rédigé des directives anticipées (demander à l’équipe de soins).' : 'Pas de directives anticipées connues.');
  return doc.save();
}
