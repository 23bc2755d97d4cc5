import type { ErrorCode, IdentityStatus, InsOid, JournalKind, Sex } from '../contract';
import { ERROR_MESSAGES_FR, INS_OIDS } from '../contract';

/**
 * Every string the UI shows, in one keyed catalogue. Components never hold French text of
 * their own: they read it from here, so wording is reviewed (and one day translated) in one place.
 */
export const fr = {
  app: {
    name: 'Relais',
    tagline: 'Journal de coordination',
    demo: 'Démo',
    demoTitle: 'Session de démonstration : données fictives, aucune donnée réelle de patient',
    loading: 'Chargement…',
    skipToJournal: 'Aller au journal',
    missingToken:
      "Relais n'a pas reçu sa clé d'accès : rouvrez Relais depuis le logiciel du cabinet ou depuis l'icône de la barre des tâches.",
  },
  status: {
    online: 'En ligne',
    offline: 'Hors ligne',
    connecting: 'Connexion…',
    onlineTitle: 'Connecté à la plateforme de coordination',
    offlineTitle: 'Plateforme injoignable : le journal affiché vient des données locales',
    connectingTitle: 'Connexion à Relais en cours',
  },
  professional: {
    label: 'Professionnel connecté',
    notSignedIn: 'Non connecté',
  },
  patients: {
    heading: 'Patients suivis',
    navLabel: 'Patients suivis',
    searchLabel: 'Rechercher un patient',
    searchPlaceholder: 'Nom ou prénom',
    empty: 'Aucun patient suivi.',
    noMatch: (query: string) => `Aucun patient ne correspond à « ${query} ».`,
    count: (n: number) => (n <= 1 ? `${n} patient` : `${n} patients`),
    noIns: 'INS absent : ouvrir depuis le logiciel du cabinet',
    opening: 'Ouverture…',
    listLabel: 'Liste des patients suivis',
    keyboardHint: 'Flèches pour parcourir, Entrée pour ouvrir',
  },
  identity: {
    bannerLabel: 'Identité du patient',
    birthNameLabel: 'Nom de naissance',
    firstNamesLabel: 'Prénoms de naissance',
    usedName: 'Nom utilisé',
    usedFirstName: 'Prénom utilisé',
    sexLabel: 'Sexe',
    birthDateLabel: 'Né(e) le',
    birthPlaceLabel: 'Lieu de naissance (code INSEE)',
    birthPlaceAbroad: (code: string) => `${code} (étranger)`,
    insLabel: 'INS',
    noIns: 'INS non disponible',
    insNotQualified:
      "Identité non qualifiée : l'INS ne doit pas être utilisé pour référencer ou échanger des données de santé.",
    sex: { F: 'Femme', M: 'Homme', U: 'Indéterminé' } satisfies Record<Sex, string>,
    status: {
      PROV: 'Identité provisoire',
      RECUP: 'Identité récupérée',
      VALI: 'Identité validée',
      QUAL: 'Identité qualifiée',
    } satisfies Record<IdentityStatus, string>,
    oid: {
      [INS_OIDS.NIR]: 'NIR',
      [INS_OIDS.NIA]: 'NIA',
      [INS_OIDS.NIR_TEST]: 'NIR de test',
      [INS_OIDS.NIR_DEMO]: 'NIR de démo',
    } satisfies Record<InsOid, string>,
    noPatient: 'Aucun patient ouvert',
    noPatientHint:
      'Ouvrez un patient depuis le logiciel du cabinet, ou choisissez-le dans la liste des patients suivis.',
  },
  vigilance: {
    title: "Vérification d'identité",
    intro:
      "Le logiciel du cabinet et la plateforme de coordination ne décrivent pas ce patient de la même façon. Comparez les traits d'identité avant d'ouvrir le dossier.",
    trait: 'Trait',
    fromLgc: 'Logiciel du cabinet',
    fromPlatform: 'Plateforme de coordination',
    differs: 'différent',
    same: 'identique',
    fields: {
      birthName: 'Nom de naissance',
      firstNames: 'Prénoms de naissance',
      birthDate: 'Date de naissance',
      sex: 'Sexe',
      birthPlace: 'Lieu de naissance (INSEE)',
    },
    ins: 'INS',
    confirm: "Il s'agit du même patient : ouvrir",
    reject: 'Ne pas ouvrir',
    audit: "Votre décision est enregistrée dans la traçabilité des accès.",
  },
  filters: {
    label: 'Filtrer le journal',
    search: 'Rechercher dans le journal',
    searchPlaceholder: 'Mots du message ou nom de l’auteur',
    kind: 'Type',
    allKinds: 'Tous les types',
    author: 'Auteur',
    allAuthors: 'Tous les auteurs',
    profession: 'Profession',
    allProfessions: 'Toutes les professions',
    from: 'Du',
    to: 'Au',
    unreadOnly: (n: number) => `Non lus (${n})`,
    pinnedOnly: (n: number) => `Épinglés (${n})`,
    reset: 'Effacer les filtres',
    results: (n: number) => (n <= 1 ? `${n} résultat` : `${n} résultats`),
  },
  entryActions: {
    unread: 'Nouveau',
    pin: 'Épingler',
    unpin: 'Désépingler',
    pinned: 'Épinglé',
    pinLabel: (author: string) => `Épingler le message de ${author}`,
    unpinLabel: (author: string) => `Désépingler le message de ${author}`,
  },
  sync: {
    running: (done: number, total: number) => `Synchronisation ${done}/${total}`,
    offlineSince: (dateTime: string) => `Hors ligne — données du ${dateTime}`,
    offlineNever: 'Hors ligne — aucune donnée synchronisée pour ce patient',
    reconnecting: 'reconnexion automatique',
  },
  draft: {
    label: "Brouillon de message à l'équipe de soins",
    placeholder: 'Saisissez votre message ; il est enregistré sur ce poste au fil de la frappe.',
    saving: 'Enregistrement…',
    savedAt: (time: string) => `Brouillon enregistré à ${time}`,
    restored: (dateTime: string) => `Brouillon conservé depuis le ${dateTime}`,
    empty: 'Aucun brouillon',
  },
  age: {
    days: (n: number) => (n <= 1 ? `${n} jour` : `${n} jours`),
    months: (n: number) => `${n} mois`,
    years: (n: number) => (n <= 1 ? `${n} an` : `${n} ans`),
    approximate: (text: string) => `environ ${text}`,
  },
  journal: {
    heading: 'Journal de coordination',
    label: 'Entrées du journal, de la plus récente à la plus ancienne',
    empty: 'Aucune entrée dans le journal de ce patient.',
    loading: 'Chargement du journal…',
    loadingMore: 'Chargement des entrées plus anciennes…',
    end: 'Début du journal',
    count: (shown: number, total: number) =>
      shown >= total
        ? `${formatCount(total)} ${total <= 1 ? 'entrée' : 'entrées'}`
        : `${formatCount(shown)} sur ${formatCount(total)} entrées`,
    today: "Aujourd'hui",
    yesterday: 'Hier',
    refreshing: 'Actualisation…',
    updatedAt: (time: string) => `Mis à jour à ${time}`,
    updatedOn: (dateTime: string) => `Mis à jour le ${dateTime}`,
    fromStore: 'Données locales, non synchronisées',
    fromPlatform: 'Données de la plateforme',
    syncFailed: (message: string) => `Actualisation impossible — ${message} Le journal affiché vient des données locales.`,
    urgent: 'Urgent',
    reply: 'Réponse',
    kinds: {
      text: 'Message',
      voice: 'Message vocal',
      photo: 'Photo',
      document: 'Document',
      alert: 'Alerte',
      appointment: 'Rendez-vous',
      hospitalisation: 'Hospitalisation',
      'treatment-change': 'Modification de traitement',
    } satisfies Record<JournalKind, string>,
  },
  attachment: {
    image: 'Image jointe',
    openImage: (title: string) => `Agrandir l'image ${title}`,
    audio: (title: string) => `Message vocal ${title}`,
    view: 'Afficher',
    download: 'Télécharger',
    viewDocument: (title: string) => `Afficher le document ${title}`,
    downloadDocument: (title: string) => `Télécharger le document ${title}`,
    untitled: 'sans titre',
    close: 'Fermer',
    viewerLabel: (title: string) => `Aperçu : ${title}`,
    size: (bytes: number) => formatSize(bytes),
  },
  error: {
    title: 'Erreur',
    dismiss: "Fermer le message d'erreur",
    code: (code: string) => `Code : ${code}`,
    /** The local connection to the core dropped (web host socket); distinct from a platform outage. */
    transportClosed:
      'Relais est momentanément déconnecté de son service local ; reconnexion automatique en cours. Réessayez dans un instant.',
    /** One clinician-readable message per contract error code, shared with the `relais` CLI. */
    codes: ERROR_MESSAGES_FR,
  },
} as const;

function formatCount(n: number): string {
  return new Intl.NumberFormat('fr-FR').format(n);
}

function formatSize(bytes: number): string {
  const nf = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${nf.format(bytes)} o`;
  if (bytes < 1024 * 1024) return `${nf.format(bytes / 1024)} Ko`;
  return `${nf.format(bytes / (1024 * 1024))} Mo`;
}

export function errorMessage(code: ErrorCode): string {
  return fr.error.codes[code];
}
