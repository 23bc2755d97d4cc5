/**
 * French coordination-journal texts, the way a home nurse, pharmacist, GP, physiotherapist,
 * hospital specialist, support-cell coordinator or social worker writes them (Santé Landes,
 * e-Meuse santé, e-parcours). Templates with slots, filled by the seeded PRNG.
 */
import type { Prng } from './prng';
import type { RoleKind } from './referential';

export interface TextContext {
  civ: string; // "Mme DUBOS" / "M. COLIN"
  she: boolean;
}

const fill = (rng: Prng, t: string, ctx: TextContext): string =>
  t
    .replace(/\{civ\}/g, ctx.civ)
    .replace(/\{il\}/g, ctx.she ? 'elle' : 'il')
    .replace(/\{Il\}/g, ctx.she ? 'Elle' : 'Il')
    .replace(/\{e\}/g, ctx.she ? 'e' : '')
    .replace(/\{TA\}/g, `${rng.int(10, 17)}/${rng.int(6, 9)}`)
    .replace(/\{FC\}/g, String(rng.int(58, 104)))
    .replace(/\{gly\}/g, (rng.int(80, 260) / 100).toFixed(2).replace('.', ','))
    .replace(/\{poids\}/g, String(rng.int(48, 96)))
    .replace(/\{sat\}/g, String(rng.int(90, 99)))
    .replace(/\{temp\}/g, (rng.int(362, 384) / 10).toFixed(1).replace('.', ','))
    .replace(/\{eva\}/g, String(rng.int(0, 7)))
    .replace(/\{cm\}/g, String(rng.int(1, 6)))
    .replace(/\{jour\}/g, rng.pick(['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi']))
    .replace(/\{heure\}/g, `${rng.int(8, 17)}h${rng.pick(['00', '15', '30', '45'])}`);

const TEXT: Record<RoleKind, readonly string[]> = {
  nurse: [
    'Passage du matin : TA {TA}, FC {FC}, glycémie capillaire {gly} g/L. Injection d’insuline faite. RAS.',
    'Pansement talon droit refait. Plaie propre, bourgeonnante, {cm} cm de diamètre. Pas de signe d’infection.',
    '{civ} se plaint de douleurs aux jambes (EVA {eva}/10). Œdèmes des membres inférieurs en légère augmentation. À surveiller.',
    'Pilulier préparé pour la semaine. {Il} a oublié la prise de dimanche soir, rappel fait avec la fille.',
    'Prise de sang faite ce matin à domicile (NFS, iono, créat, INR). Résultats au laboratoire de Mont-de-Marsan.',
    'Toilette complète, état cutané correct, pas d’escarre. Appétit moyen, poids {poids} kg.',
    'Température {temp} °C, toux grasse depuis 2 jours. Saturation {sat} %. Je préviens le médecin traitant.',
    'Bas de contention mis en place. {civ} est fatigué{e} mais de bonne humeur.',
    'Chute sans gravité dans la salle de bains hier soir, relevé{e} par le voisin. Pas de douleur à la mobilisation. Télé-assistance à discuter.',
    'Retour à domicile bien vécu. Ordonnance de sortie récupérée, traitement mis à jour dans le pilulier.',
  ],
  pharmacist: [
    'Renouvellement délivré. Attention : l’AINS acheté en automédication est contre-indiqué avec son anticoagulant, conseil donné.',
    'Bilan partagé de médication réalisé avec {civ} : 9 lignes de traitement, observance correcte, doublon de paracétamol supprimé.',
    'Rupture de stock du générique, délivrance du princeps. Information donnée au patient et à l’IDE.',
    'Livraison à domicile des traitements du mois faite {jour}. Piluliers semainiers fournis à l’infirmière.',
    'Le patient n’est pas venu chercher son traitement depuis 6 semaines. Pouvez-vous vérifier l’observance ?',
    'Matériel de maintien à domicile livré : lit médicalisé et fauteuil garde-robe.',
  ],
  gp: [
    'Consultation à domicile. TA {TA}, auscultation pulmonaire claire, pas de signe de décompensation cardiaque. Poids {poids} kg. On poursuit le traitement.',
    'Visite : état stable. Bilan biologique dans un mois. Merci à l’IDE de surveiller le poids 2 fois par semaine.',
    'Je vois {civ} {jour}. Suite à la chute, je demande un bilan de kinésithérapie (prévention des chutes).',
    'Mise à jour du PPS avec la cellule d’appui : priorité au maintien à domicile, réévaluation dans 3 mois.',
    'Merci pour les transmissions. Je passe en fin de semaine pour réévaluer les œdèmes.',
    'Résultats reçus : INR {gly}, créatinine stable. Pas de modification de dose.',
  ],
  physio: [
    'Séance de rééducation à la marche : périmètre de marche 50 m avec déambulateur. Progrès depuis la semaine dernière.',
    'Travail de l’équilibre et des transferts. {civ} reste appréhensif{e} après la chute. Poursuite 2 séances par semaine.',
    'Drainage bronchique fait, encombrement modéré. Saturation {sat} % en fin de séance.',
  ],
  specialist: [
    'Consultation de cardiologie : FEVG 40 %, insuffisance cardiaque stable. Poursuite bêtabloquant, contrôle échographique dans 6 mois.',
    'Évaluation gériatrique standardisée : MMS 22/30, ADL 4/6, risque de chute élevé. Propositions transmises au médecin traitant.',
    'Holter ECG sans trouble du rythme significatif. Pas d’indication à modifier le traitement.',
  ],
  coordinator: [
    'Appel du médecin traitant : situation complexe, demande d’appui de la cellule. Évaluation à domicile programmée {jour} à {heure}.',
    'Évaluation multidimensionnelle réalisée à domicile avec l’IDE. Aidante principale épuisée : je propose un accueil de jour 1 jour par semaine.',
    'Réunion de concertation pluriprofessionnelle organisée {jour} à {heure} à la MSP. Présents : MT, IDE, pharmacienne, kiné.',
    'Dossier APA envoyé au Conseil départemental. En attente de la visite de l’équipe médico-sociale.',
    'Lien fait avec le service de court séjour gériatrique pour anticiper une hospitalisation programmée.',
    'Portage des repas mis en place à partir de {jour}. Passage d’une aide à domicile 1 h par jour.',
  ],
  social: [
    'Visite à domicile : logement adapté mais salle de bains à aménager. Demande d’aide à l’ANAH déposée.',
    'Dossier de demande d’aide sociale à l’hébergement temporaire en cours. Rendez-vous avec la famille {jour}.',
    'Mesure de protection : la fille souhaite une habilitation familiale. Informations transmises.',
  ],
};

const ALERT: readonly string[] = [
  'URGENT : chute avec douleur de hanche, {civ} ne peut pas se relever. SAMU appelé.',
  'Glycémie à {gly} g/L à jeun, sueurs et confusion. Resucrage fait, médecin prévenu.',
  'Prise de poids de 3 kg en 4 jours et dyspnée de repos. Suspicion de décompensation cardiaque, merci de rappeler rapidement.',
  'Plaie du talon malodorante, rougeur qui s’étend, température {temp} °C. Avis médical souhaité aujourd’hui.',
  'Erreur de délivrance possible : deux boîtes d’anticoagulant de dosages différents au domicile. Ne pas administrer avant vérification.',
];

const APPOINTMENT: readonly string[] = [
  'RDV de cardiologie au CH de Mont-de-Marsan {jour} à {heure}. Transport en VSL réservé.',
  'Consultation mémoire programmée {jour} à {heure}. Merci de prévoir le bilan biologique avant.',
  'RDV ophtalmologie {jour} à {heure}, la fille l’accompagne.',
  'Échographie abdominale {jour} à {heure}, à jeun.',
  'Séance de télésurveillance / téléconsultation avec le gériatre {jour} à {heure}.',
];

const HOSPITALISATION: readonly string[] = [
  'Hospitalisation en cardiologie pour décompensation cardiaque. Sortie prévue en fin de semaine, retour à domicile avec IDE.',
  'Entrée aux urgences pour chute, fracture du poignet. Retour à domicile le soir même avec plâtre.',
  'Hospitalisation programmée en court séjour gériatrique pour bilan. Durée prévue 5 jours.',
  'Sortie d’hospitalisation : compte rendu joint. Modifications de traitement à reporter dans le pilulier.',
];

const REFERRAL: readonly string[] = [
  'Adressage en consultation de cardiologie (Dr LEFÈVRE) pour réévaluation de l’insuffisance cardiaque. Courrier joint au dossier.',
  'Demande de consultation mémoire au CH de Dax : troubles cognitifs d’aggravation progressive, MMS 21/30.',
  'Orientation vers l’hôpital de jour gériatrique pour évaluation des chutes. Rendez-vous à confirmer par la cellule.',
  'Adressage au kinésithérapeute pour rééducation à la marche, 2 séances par semaine pendant 6 semaines.',
];

const PPS: readonly string[] = [
  'PPS mis à jour après la réunion de concertation : objectif maintien à domicile, passage IDE 2 fois par jour.',
  'Réévaluation du PPS : ajout d’un portage des repas et d’une téléassistance. Prochaine révision dans 3 mois.',
  'PPS validé avec le patient et sa fille : priorité à la prévention des chutes et à l’observance du traitement.',
];

const TREATMENT: readonly string[] = [
  'Arrêt du furosémide 40 mg, remplacé par furosémide 20 mg matin. Surveillance du poids.',
  'Introduction d’apixaban 2,5 mg × 2/j. Arrêt de l’aspirine.',
  'Diminution de la metformine à 500 mg × 2/j (fonction rénale). Glycémies capillaires 3 fois par semaine.',
  'Ajout de paracétamol 1 g × 3/j si douleur, maximum 3 g par jour.',
  'Arrêt du zolpidem. Sevrage progressif expliqué au patient.',
];

const VOICE: readonly string[] = [
  'Message vocal : point sur le passage de ce matin.',
  'Message vocal de l’infirmière après la visite.',
  'Message vocal : compte rendu rapide de la consultation.',
  'Message vocal : appel de la famille, à rappeler.',
];
const PHOTO: readonly string[] = [
  'Photo de la plaie du talon droit, J{eva} après changement de pansement.',
  'Photo de l’ulcère de jambe gauche, évolution favorable.',
  'Photo de l’escarre sacrée, stade 2.',
  'Photo de l’hématome après la chute.',
];
const DOCUMENT: readonly string[] = [
  'Compte rendu d’hospitalisation joint.',
  'Ordonnance de sortie jointe.',
  'Résultats du bilan biologique joints.',
  'Courrier du cardiologue joint.',
  'Plan personnalisé de santé (PPS) mis à jour joint.',
];

export const REPLIES: readonly string[] = [
  'Bien reçu, merci. Je passe demain.',
  'Merci pour l’information, j’adapte le traitement.',
  'Vu, je préviens la famille.',
  'D’accord, je fais le nécessaire avec la pharmacie.',
  'Merci, on en reparle à la réunion de concertation.',
  'Reçu. Je rappelle le patient cet après-midi.',
];

export type SeedKind =
  | 'text'
  | 'voice'
  | 'photo'
  | 'document'
  | 'alert'
  | 'appointment'
  | 'hospitalisation'
  | 'treatment-change'
  | 'referral'
  | 'pps';

export function journalText(rng: Prng, kind: SeedKind, role: RoleKind, ctx: TextContext): string {
  switch (kind) {
    case 'text':
      return fill(rng, rng.pick(TEXT[role]), ctx);
    case 'alert':
      return fill(rng, rng.pick(ALERT), ctx);
    case 'appointment':
      return fill(rng, rng.pick(APPOINTMENT), ctx);
    case 'hospitalisation':
      return fill(rng, rng.pick(HOSPITALISATION), ctx);
    case 'treatment-change':
      return fill(rng, rng.pick(TREATMENT), ctx);
    case 'voice':
      return fill(rng, rng.pick(VOICE), ctx);
    case 'photo':
      return fill(rng, rng.pick(PHOTO), ctx);
    case 'document':
      return fill(rng, rng.pick(DOCUMENT), ctx);
    case 'referral':
      return fill(rng, rng.pick(REFERRAL), ctx);
    case 'pps':
      return fill(rng, rng.pick(PPS), ctx);
  }
}

export const PDF_DOCS: readonly { title: string; file: string; caption: string; lines: readonly string[] }[] = [
  {
    title: "Compte rendu d'hospitalisation",
    file: 'compte-rendu-hospitalisation.pdf',
    caption: 'Compte rendu d’hospitalisation en cardiologie joint.',
    lines: [
      'Centre hospitalier de Mont-de-Marsan - Service de cardiologie',
      "Motif d'hospitalisation : décompensation cardiaque globale.",
      'Évolution favorable sous diurétiques IV, perte de 4 kg.',
      'Traitement de sortie : furosémide 40 mg matin, bisoprolol 2,5 mg, ramipril 5 mg.',
      'Suivi : IDE à domicile pour surveillance du poids, consultation à 1 mois.',
      'Document de démonstration - données fictives.',
    ],
  },
  {
    title: 'Ordonnance de sortie',
    file: 'ordonnance-sortie.pdf',
    caption: 'Ordonnance de sortie jointe, merci de mettre à jour le pilulier.',
    lines: ['Furosémide 40 mg : 1 comprimé le matin', 'Bisoprolol 2,5 mg : 1 comprimé le matin', 'Soins infirmiers à domicile : surveillance poids et TA, 3 fois par semaine', 'Document de démonstration - données fictives.'],
  },
  {
    title: 'Bilan biologique',
    file: 'bilan-biologique.pdf',
    caption: 'Résultats du bilan biologique joints (créatinine, INR).',
    lines: ['Hémoglobine : 12,1 g/dL', 'Créatinine : 98 µmol/L - DFG 54 mL/min', 'Kaliémie : 4,3 mmol/L', 'INR : 2,4', 'Document de démonstration - données fictives.'],
  },
  {
    title: 'Plan personnalisé de santé',
    file: 'pps.pdf',
    caption: 'Plan personnalisé de santé (PPS) mis à jour joint.',
    lines: ['Coordinatrice : cellule d’appui Santé Landes', 'Priorité : maintien à domicile en sécurité', 'Objectif : pas de réhospitalisation à 3 mois', 'Réévaluation : dans 3 mois', 'Document de démonstration - données fictives.'],
  },
];
