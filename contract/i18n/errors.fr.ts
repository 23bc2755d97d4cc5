import type { ErrorCode } from '../errors';

/**
 * What the user reads for each error code, in French. Shared by the window (renderer/src/i18n)
 * and the `relais` CLI, so both say the same thing.
 */
export const ERROR_MESSAGES_FR: Record<ErrorCode, string> = {
  INVALID_INPUT: 'Une information transmise est incomplète ou mal formée. Vérifiez la saisie puis réessayez.',
  LAUNCH_URL_MALFORMED:
    "Le lien d'ouverture envoyé par le logiciel du cabinet est mal formé : Relais ne peut pas identifier le patient. Rouvrez le dossier depuis le logiciel du cabinet.",
  INS_INVALID: "La clé de l'INS transmis par le logiciel du cabinet est invalide : vérifiez l'identité du patient.",
  INS_OID_UNKNOWN:
    "Le type d'INS transmis par le logiciel du cabinet n'est pas reconnu (ni NIR, ni NIA) : vérifiez l'identité du patient.",
  TRAITS_MISSING:
    "Des traits d'identité manquent (nom de naissance, prénoms, date de naissance ou sexe) : complétez l'identité du patient dans le logiciel du cabinet.",
  PATIENT_NOT_FOUND:
    "Ce patient est introuvable sur la plateforme de coordination : vérifiez son identité ou qu'il est bien inclus dans un parcours coordonné.",
  IDENTITY_MISMATCH:
    "Les traits d'identité du logiciel du cabinet diffèrent de ceux de la plateforme : comparez-les dans la fenêtre Relais et confirmez qu'il s'agit bien du même patient.",
  PATIENT_SELECTION_REQUIRED:
    "Le logiciel du cabinet n'a pas transmis d'INS : choisissez le bon patient parmi ceux de la plateforme dans la fenêtre Relais.",
  PLATFORM_UNREACHABLE:
    'La plateforme de coordination ne répond pas. Les données locales restent consultables ; réessayez dans quelques instants.',
  PLATFORM_ERROR:
    "La plateforme de coordination a rencontré une erreur. Réessayez ; si le problème persiste, contactez l'assistance.",
  PLATFORM_NOT_CONFIGURED:
    "Aucune plateforme de coordination sécurisée n'est configurée sur ce poste (adresse absente, ou sans https). La connexion est impossible : contactez la personne qui administre Relais dans votre structure.",
  CONFLICT:
    "Cette information a été modifiée entre-temps par un autre professionnel. Rechargez-la avant de l'enregistrer à nouveau.",
  FORBIDDEN:
    "Votre profil ne permet pas cette action ou l'accès à ce dossier : les droits découlent de votre carte (CPS ou CPE) et de votre profession. Par exemple, le secrétariat ne prescrit pas, ne modifie pas le PPS et ne lit pas les notes médicales.",
  UNAUTHENTICATED: 'Votre session a expiré. Reconnectez-vous avec votre carte CPS ou Pro Santé Connect.',
  CARD_REMOVED: 'La carte CPS a été retirée du lecteur. Réinsérez-la pour continuer.',
  PIN_INCORRECT: 'Code PIN incorrect. Vérifiez le nombre d’essais restants avant de recommencer.',
  PIN_LOCKED: 'La carte CPS est bloquée après trop de codes PIN erronés. Débloquez-la avec son code PUK.',
  STORAGE_ERROR:
    "Les données locales de Relais sont inaccessibles sur ce poste. Redémarrez Relais ; si le problème persiste, contactez l'assistance.",
  KEYCHAIN_UNAVAILABLE:
    "Le trousseau du système est indisponible : Relais ne peut pas protéger les données de ce professionnel sur ce poste et n'ouvre donc pas sa session. Déverrouillez le trousseau de votre session (ou redémarrez-la), puis reconnectez-vous ; si le problème persiste, contactez l'assistance.",
  INTERNAL:
    "Une erreur inattendue s'est produite dans Relais. Réessayez ; si le problème persiste, contactez l'assistance.",
};
