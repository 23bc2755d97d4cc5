import type { ErrorCode } from '../errors';

/**
 * What the user reads for each error code, in French. Shared by the window and the `relais` CLI
 * so both say the same thing; the UI catalogue re-exports it.
 */
export const ERROR_MESSAGES_FR: Record<ErrorCode, string> = {
  INVALID_INPUT: 'Une information transmise est invalide. Vérifiez la saisie et réessayez.',
  LAUNCH_URL_MALFORMED:
    "Le lien d'ouverture envoyé par le logiciel du cabinet est mal formé : le patient n'a pas été ouvert.",
  INS_INVALID:
    "La clé de l'INS transmis par le logiciel du cabinet est invalide : vérifiez l'identité du patient avant de continuer.",
  INS_OID_UNKNOWN:
    "Le type d'INS transmis (OID) n'est pas reconnu : seuls le NIR, le NIA et les INS de test ou de démonstration sont acceptés.",
  TRAITS_MISSING:
    "Des traits d'identité manquent (nom de naissance, prénoms, date de naissance ou sexe) : le patient ne peut pas être ouvert.",
  PATIENT_NOT_FOUND: "Ce patient n'est pas connu de la plateforme de coordination.",
  PLATFORM_UNREACHABLE:
    'La plateforme de coordination est injoignable. Les données déjà enregistrées sur ce poste restent consultables.',
  PLATFORM_ERROR: 'La plateforme de coordination a renvoyé une erreur. Réessayez dans un instant.',
  OFFLINE: 'Vous êtes hors ligne : les données affichées sont celles enregistrées sur ce poste.',
  CONFLICT: "Cet élément a été modifié par quelqu'un d'autre entre-temps. Votre saisie est conservée : rechargez puis validez à nouveau.",
  FORBIDDEN: "Vous n'avez pas les droits nécessaires pour cette action.",
  UNAUTHENTICATED: 'Votre session a expiré. Reconnectez-vous avec votre carte CPS ou Pro Santé Connect.',
  CARD_REMOVED: 'La carte a été retirée : Relais est verrouillé. Réinsérez votre carte pour continuer.',
  PIN_INCORRECT: 'Code PIN incorrect.',
  PIN_LOCKED: 'La carte est bloquée après trop de codes PIN erronés. Utilisez votre code de déblocage.',
  STORAGE_ERROR: "Impossible d'enregistrer sur ce poste (disque plein ou fichier inaccessible). Rien de ce que vous avez saisi n'est perdu.",
  INTERNAL: 'Une erreur inattendue est survenue. Si elle se répète, contactez le support.',
};
