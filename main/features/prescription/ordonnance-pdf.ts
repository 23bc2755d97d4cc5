/**
 * The printed ordonnance (A4 PDF, pdf-lib): everything R5132-3 of the Code de la santé publique
 * requires — prescriber's name, title / specialty, RPPS, address, signature, date; each drug with
 * posology, mode of use, duration or number of packs, renewals; patient's name, first names, sex,
 * age, weight when given — the bizone layout of R161-45 when a line is in relation to the ALD, and
 * the Code 128 barcodes of the prescriber's RPPS and of the structure (FINESS, or the practice's
 * Assurance Maladie number), 30 mm apart.
 *
 * What it is not: the national « ordonnance numérique » (its identifier and QR code are not
 * public), nor a document signed with the CPS card — the signature area says « signé
 * électroniquement par … » and no more.
 */
import bwipjs from 'bwip-js/node';
import { degrees, PDFDocument, StandardFonts, rgb, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { toCardinal } from 'n2words/fr-FR';
import { ageInYears, frenchNumber, posologySentence, type Patient, type Prescription, type PrescriptionLine } from '../../../contract';
import type { PrescriberDetails } from './fhir-adapter';

export interface OrdonnanceInput {
  /** Relais' prescription id (the MedicationRequests' groupIdentifier), printed as a reference. */
  prescriptionId: string;
  /** ISO instant of the signature (or of the preview). */
  authoredOn: string;
  prescriber: PrescriberDetails;
  patient: Patient;
  prescription: Prescription;
  /** A preview: marked « Aperçu — non signé » instead of the signature line. */
  preview?: boolean;
  /**
   * What the signature box says (main/signature, docs/prescription.md « Signature »): signed with
   * the CPS card (the PAdES signature is added over this box afterwards), the demo identity
   * (« Non signée — démonstration »), or to be printed and signed by hand.
   */
  signature?: OrdonnanceSignature;
}

export type OrdonnanceSignature = { kind: 'card'; signerName: string; signedAt: string } | { kind: 'demo' } | { kind: 'print' };

/** The visible signature box of the last page, [x1, y1, x2, y2] in points: the PAdES widget covers it. */
export function signatureBoxRect(): [number, number, number, number] {
  return [A4.width / 2, MARGIN + 8 * MM, A4.width - MARGIN, MARGIN + 30 * MM];
}

function signatureLines(input: OrdonnanceInput): string[] {
  const { prescriber, authoredOn } = input;
  if (input.preview) return ['Aperçu — non valable', 'Ce document n’est pas une ordonnance valable.'];
  switch (input.signature?.kind) {
    case 'card':
      return [
        `Signé par ${input.signature.signerName}`,
        `le ${frenchDate(input.signature.signedAt)} à ${frenchTime(input.signature.signedAt)}`,
        'Signature électronique avec la carte CPS',
      ];
    case 'demo':
      return ['Non signée — démonstration', 'Identité de démonstration : ce document n’est pas une ordonnance valable.'];
    case 'print':
      return ['Non signée électroniquement', 'Signature manuscrite du prescripteur :'];
    default:
      // No signing mode given: printed for a handwritten signature, never « signé électroniquement ».
      return [`Signature de ${prescriberDisplayName(prescriber)}`, `le ${frenchDate(authoredOn)} à ${frenchTime(authoredOn)}`];
  }
}

const MM = 72 / 25.4;
const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 18 * MM;
/** Distance between the two barcodes (DOMAIN.md: 30 mm apart). */
export const BARCODE_GAP_MM = 30;
const BARCODE_HEIGHT = 10 * MM;
const BARCODE_MAX_WIDTH = 55 * MM;
const INK = rgb(0.1, 0.1, 0.12);
const GREY = rgb(0.4, 0.4, 0.45);
const TIME_ZONE = 'Europe/Paris';

/** Official wording of the two zones of the bizone ordonnance (cerfa n° 12708). */
export const ALD_ZONE_TITLE = 'Prescriptions relatives au traitement de l’affection de longue durée reconnue (liste ou hors liste) (AFFECTION EXONÉRANTE)';
export const OTHER_ZONE_TITLE = 'Prescriptions SANS RAPPORT avec l’affection de longue durée (MALADIES INTERCURRENTES)';

/** « 1er décembre 2026 », « 12 mars 2026 » (the French ordinal for the first of the month). */
export function frenchDate(iso: string): string {
  const parts = new Intl.DateTimeFormat('fr-FR', { timeZone: TIME_ZONE, day: 'numeric', month: 'long', year: 'numeric' }).formatToParts(new Date(iso));
  return parts.map((p) => (p.type === 'day' && p.value === '1' ? '1er' : p.value)).join('');
}

/** Numbers in words (R5132-29: a stupéfiant's quantities are written out in full). */
export const inWords = (n: number): string => toCardinal(n);
function frenchTime(iso: string): string {
  return new Intl.DateTimeFormat('fr-FR', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}
function parisDay(iso: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

export function prescriberDisplayName(p: PrescriberDetails): string {
  return [p.prefix, p.givenName, p.familyName].filter(Boolean).join(' ');
}

/** « Durée : 7 jours », « Quantité : 2 boîtes », both when both are given; in words on a secure line. */
export function quantityText(line: PrescriptionLine): string {
  const words = line.drug?.rules.secure ? inWords : undefined;
  const parts: string[] = [];
  if (line.durationDays !== null) parts.push(`Durée : ${frenchNumber(line.durationDays, words)} jour${line.durationDays > 1 ? 's' : ''}`);
  // « une (1) boîte »: the words agree with the feminine « boîte ».
  const feminine = words ? (n: number) => words(n).replace(/\bun$/, 'une') : undefined;
  if (line.packs !== null) parts.push(`Quantité : ${frenchNumber(line.packs, feminine)} boîte${line.packs > 1 ? 's' : ''}`);
  return parts.join(' — ');
}

/** The posology as printed: in words on a secure line (stupéfiant) when it is structured. */
export function printedPosology(line: PrescriptionLine): string {
  if (!line.drug?.rules.secure || !line.dosage) return line.posology;
  const free = line.posology.split(' — ').slice(1).join(' — ');
  return [posologySentence(line.dosage, line.durationDays, inWords), free].filter(Boolean).join(' — ');
}

export function renewalText(renewals: number): string {
  return renewals === 0 ? 'Non renouvelable' : `À renouveler ${renewals} fois`;
}

/** Code 128 PNG of a number (bwip-js), no human-readable text (we print the caption ourselves). */
async function code128(text: string): Promise<Buffer> {
  return bwipjs.toBuffer({ bcid: 'code128', text, scale: 3, height: 10, includetext: false, paddingwidth: 0, paddingheight: 0 });
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
}

/**
 * Text the standard fonts can encode (WinAnsi: é è à ç œ ’ « » – are in; a narrow no-break space
 * or an emoji is not). Unsupported characters become a plain space or « ? » instead of aborting.
 */
function encodable(font: PDFFont, text: string): string {
  const supported = new Set(font.getCharacterSet());
  let out = '';
  for (const ch of text.replace(/[\u202f\u2009\u2007]/g, ' ').replace(/\r?\n/g, ' ')) {
    out += supported.has(ch.codePointAt(0)!) ? ch : '?';
  }
  return out;
}

function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const words = encodable(font, text).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const next = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width) {
      current = next;
      continue;
    }
    if (current) lines.push(current);
    // A word longer than the line (a long DCI without spaces) is cut rather than overflowing.
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current) lines.push(current);
  return lines;
}

/** Lays text out top-down across as many pages as needed. */
class Flow {
  page: PDFPage;
  y: number;
  readonly pages: PDFPage[] = [];
  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Fonts,
    private readonly continuationHeader: (page: PDFPage) => number,
  ) {
    this.page = this.addPage();
    this.y = A4.height - MARGIN;
  }
  private addPage(): PDFPage {
    const page = this.doc.addPage([A4.width, A4.height]);
    this.pages.push(page);
    return page;
  }
  get width(): number {
    return A4.width - 2 * MARGIN;
  }
  /** Space kept free at the bottom of every page for the signature and the footer. */
  static readonly BOTTOM = MARGIN + 36 * MM;
  ensure(height: number): void {
    if (this.y - height >= Flow.BOTTOM) return;
    this.page = this.addPage();
    this.y = this.continuationHeader(this.page);
  }
  text(text: string, options: { size?: number; font?: keyof Fonts; indent?: number; color?: ReturnType<typeof rgb>; gapAfter?: number } = {}): void {
    const size = options.size ?? 10.5;
    const font = this.fonts[options.font ?? 'regular'];
    const indent = options.indent ?? 0;
    for (const line of wrap(font, text, size, this.width - indent)) {
      this.ensure(size * 1.35);
      this.page.drawText(line, { x: MARGIN + indent, y: this.y - size, size, font, color: options.color ?? INK });
      this.y -= size * 1.35;
    }
    this.y -= options.gapAfter ?? 0;
  }
  rule(gap = 6): void {
    this.ensure(gap * 2);
    this.y -= gap;
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: A4.width - MARGIN, y: this.y }, thickness: 0.6, color: GREY });
    this.y -= gap;
  }
  space(points: number): void {
    this.y -= points;
  }
}

function patientLines(patient: Patient, authoredOn: string, weightKg: number | null): string[] {
  const civility = patient.sex === 'F' ? 'Mme' : patient.sex === 'M' ? 'M.' : '';
  const used = patient.usedName && patient.usedName !== patient.birthName ? `${patient.usedName} née ` : '';
  const name = `${civility} ${used}${patient.birthName} ${patient.firstNames.join(' ')}`.replace(/\s+/g, ' ').trim();
  // The window's wording (renderer/src/i18n/fr.ts identity.sex): Femme / Homme / Indéterminé.
  const sex = patient.sex === 'F' ? 'Femme' : patient.sex === 'M' ? 'Homme' : 'Indéterminé';
  const age = ageInYears(patient.birthDate, parisDay(authoredOn));
  const [y, m, d] = patient.birthDate.split('-');
  const birth = m === '00' ? y : d === '00' ? `${m}/${y}` : `${d}/${m}/${y}`;
  const facts = [`Sexe : ${sex}`, `Né${patient.sex === 'F' ? 'e' : ''} le ${birth} (${age} an${age > 1 ? 's' : ''})`];
  if (weightKg !== null) facts.push(`Poids : ${String(weightKg).replace('.', ',')} kg`);
  return [name, facts.join('   ·   ')];
}

function drawLine(flow: Flow, line: PrescriptionLine, n: number): void {
  flow.ensure(60);
  // The DCI first (line.medication starts with it), the brand after, as the law asks.
  flow.text(`${n}. ${line.medication}`, { font: 'bold', size: 11.5, gapAfter: 1 });
  if (line.nonSubstitutable) flow.text(`Non substituable (${line.nonSubstitutable})`, { indent: 14, font: 'bold' });
  const posology = printedPosology(line);
  flow.text(line.route ? `${posology} — ${line.route}` : posology, { indent: 14 });
  const qty = quantityText(line);
  flow.text(qty ? `${qty}   ·   ${renewalText(line.renewals)}` : renewalText(line.renewals), { indent: 14 });
  const fraction = line.drug?.rules.fractionDays;
  if (fraction) flow.text(`Délivrance fractionnée de ${frenchNumber(fraction, inWords)} jours`, { indent: 14 });
  if (line.instructions) flow.text(line.instructions, { indent: 14, font: 'italic' });
  flow.space(8);
}

/** « Aperçu — non valable » across the page: a preview cannot be mistaken for an ordonnance. */
function watermark(page: PDFPage, font: PDFFont): void {
  const text = 'Aperçu — non valable';
  const size = 54;
  const width = font.widthOfTextAtSize(text, size);
  const angle = Math.atan2(A4.height, A4.width);
  page.drawText(text, {
    x: A4.width / 2 - (Math.cos(angle) * width) / 2,
    y: A4.height / 2 - (Math.sin(angle) * width) / 2,
    size,
    font,
    color: rgb(0.75, 0.2, 0.2),
    opacity: 0.18,
    rotate: degrees((angle * 180) / Math.PI),
  });
}

/** The ordonnance as PDF bytes (dates come from authoredOn, never from the clock). */
export async function renderOrdonnancePdf(input: OrdonnanceInput): Promise<Uint8Array> {
  const { prescriber, patient, prescription, authoredOn } = input;
  const doc = await PDFDocument.create();
  const when = new Date(authoredOn);
  doc.setTitle(`Ordonnance du ${frenchDate(authoredOn)}`);
  doc.setAuthor(prescriberDisplayName(prescriber));
  doc.setSubject('Ordonnance');
  doc.setCreator('Relais');
  doc.setProducer('Relais (pdf-lib)');
  doc.setCreationDate(when);
  doc.setModificationDate(when);
  doc.setLanguage('fr-FR');
  const fonts: Fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    italic: await doc.embedFont(StandardFonts.HelveticaOblique),
  };
  const [patientName] = patientLines(patient, authoredOn, prescription.weightKg);

  const flow = new Flow(doc, fonts, (page) => {
    const size = 9;
    page.drawText(encodable(fonts.regular, `Ordonnance du ${frenchDate(authoredOn)} — ${patientName} — suite`), {
      x: MARGIN,
      y: A4.height - MARGIN - size,
      size,
      font: fonts.regular,
      color: GREY,
    });
    return A4.height - MARGIN - 3 * size;
  });

  // Prescriber block (left) and date (right).
  const top = flow.y;
  flow.text(prescriberDisplayName(prescriber), { font: 'bold', size: 13 });
  flow.text(prescriber.roleLabel);
  if (prescriber.specialty && prescriber.specialty.toLowerCase() !== prescriber.roleLabel.toLowerCase()) {
    flow.text(`Spécialité : ${prescriber.specialty}`, { size: 9.5, color: GREY });
  }
  if (prescriber.rpps) flow.text(`N° RPPS : ${prescriber.rpps}`, { size: 9.5 });
  if (prescriber.structure.name) flow.text(prescriber.structure.name, { size: 9.5 });
  for (const l of prescriber.structure.address) flow.text(l, { size: 9.5 });
  if (prescriber.structure.phone) flow.text(`Tél. ${prescriber.structure.phone}`, { size: 9.5 });
  const dateText = encodable(fonts.regular, `Le ${frenchDate(authoredOn)}`);
  flow.page.drawText(dateText, {
    x: A4.width - MARGIN - fonts.regular.widthOfTextAtSize(dateText, 11),
    y: top - 11,
    size: 11,
    font: fonts.regular,
    color: INK,
  });

  // Barcodes: the RPPS, then — 30 mm further right — the structure's number.
  flow.space(8);
  const codes: { caption: string; value: string }[] = [];
  if (prescriber.rpps) codes.push({ caption: `RPPS ${prescriber.rpps}`, value: prescriber.rpps });
  const sid = prescriber.structure.identifier;
  if (sid) codes.push({ caption: `${sid.kind === 'FINESS' ? 'FINESS' : 'N° AM'} ${sid.value}`, value: sid.value });
  if (codes.length > 0) {
    let x = MARGIN;
    const images: PDFImage[] = [];
    for (const c of codes) images.push(await doc.embedPng(await code128(c.value)));
    flow.ensure(BARCODE_HEIGHT + 16);
    codes.forEach((c, i) => {
      const img = images[i]!;
      const width = Math.min(BARCODE_MAX_WIDTH, (img.width / img.height) * BARCODE_HEIGHT);
      flow.page.drawImage(img, { x, y: flow.y - BARCODE_HEIGHT, width, height: BARCODE_HEIGHT });
      flow.page.drawText(encodable(fonts.regular, c.caption), { x, y: flow.y - BARCODE_HEIGHT - 10, size: 8, font: fonts.regular, color: GREY });
      x += width + BARCODE_GAP_MM * MM;
    });
    flow.space(BARCODE_HEIGHT + 16);
  }

  // Patient.
  flow.rule(8);
  for (const [i, l] of patientLines(patient, authoredOn, prescription.weightKg).entries()) {
    flow.text(l, i === 0 ? { font: 'bold', size: 11.5 } : { size: 10 });
  }
  flow.rule(8);

  // Lines: bizone when any line relates to the ALD.
  const ald = prescription.lines.filter((l) => l.ald);
  const other = prescription.lines.filter((l) => !l.ald);
  let n = 0;
  if (ald.length > 0) {
    flow.text(ALD_ZONE_TITLE, { font: 'bold', size: 9.5, gapAfter: 6 });
    for (const l of ald) drawLine(flow, l, ++n);
    flow.rule(6);
    flow.text(OTHER_ZONE_TITLE, { font: 'bold', size: 9.5, gapAfter: 6 });
    if (other.length === 0) flow.text('Néant', { size: 10, color: GREY, gapAfter: 6 });
  }
  for (const l of other) drawLine(flow, l, ++n);
  // Secure ordonnance (R5132-5, R5132-29): the number of specialities, in words.
  if (prescription.lines.some((l) => l.drug?.rules.secure)) {
    const count = prescription.lines.length;
    flow.text(`Ordonnance sécurisée — nombre de spécialités prescrites : ${frenchNumber(count, inWords)}`, { font: 'bold', size: 10, gapAfter: 4 });
  }

  // Signature area and footer on the last page; page numbers on every page.
  const last = flow.pages[flow.pages.length - 1]!;
  const sigTop = MARGIN + 30 * MM;
  const sigX = A4.width / 2;
  last.drawRectangle({ x: sigX, y: MARGIN + 8 * MM, width: A4.width - MARGIN - sigX, height: 22 * MM, borderColor: GREY, borderWidth: 0.6 });
  const sigLines = signatureLines(input);
  sigLines.forEach((l, i) => {
    last.drawText(encodable(fonts.bold, l), { x: sigX + 8, y: sigTop - 14 - i * 13, size: i === 0 ? 10 : 9.5, font: i === 0 ? fonts.bold : fonts.regular, color: INK });
  });
  if (input.preview) for (const page of flow.pages) watermark(page, fonts.bold);
  const total = flow.pages.length;
  flow.pages.forEach((page, i) => {
    const footer = encodable(fonts.regular, `Réf. Relais ${input.prescriptionId} — page ${i + 1}/${total}`);
    page.drawText(footer, { x: MARGIN, y: MARGIN - 8, size: 7.5, font: fonts.regular, color: GREY });
  });
  return doc.save();
}
