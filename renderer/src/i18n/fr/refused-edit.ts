/** « Modifier » on a refused prescription, referral or admission request (issue 12, item 5). */
export const refusedEdit = {
  /** The outbox line's button label, for screen readers (the visible text is « Modifier »). */
  editLabel: (summary: string) => `Modifier « ${summary} » et l'envoyer à nouveau`,
  /** Shown at the top of the referral and admission dialogs reopened by « Modifier ». */
  request:
    "La plateforme a refusé cette demande : vous la reprenez telle que vous l'aviez saisie. À l'envoi, elle remplace la demande refusée (une seule sera transmise).",
  /** Shown at the top of the ordonnance reopened by « Modifier »: a signed ordonnance is never re-used. */
  prescription:
    "La plateforme a refusé cette ordonnance : vous la reprenez telle que vous l'aviez saisie. À l'envoi, une nouvelle ordonnance est établie (nouveau numéro, nouvelle date) et doit être signée à nouveau ; elle remplace l'ordonnance refusée, qui ne sera pas transmise.",
} as const;
