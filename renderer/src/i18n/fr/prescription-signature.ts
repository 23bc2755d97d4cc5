/** The ordonnance's signature with the CPS card (issue 14, item 5): composer button, PIN prompt. */
export const prescriptionSignature = {
  sendWithCard: 'Signer avec la carte CPS et envoyer',
  sendDemo: 'Envoyer (non signée — démonstration)',
  sendPrint: 'Imprimer pour signature',
  signing: 'Signature en cours…',
  noteCard: 'L’ordonnance est signée avec la clé de signature de votre carte CPS (PAdES) : le code PIN est demandé pour chaque ordonnance et n’est jamais conservé.',
  noteDemo: 'Identité de démonstration : l’ordonnance porte la mention « Non signée — démonstration ».',
  notePrint: 'Sans carte CPS, l’ordonnance n’est pas signée électroniquement : imprimez-la et signez-la à la main.',
  pinTitle: 'Code PIN de la carte CPS',
  pinLabel: 'Code PIN (4 à 8 chiffres)',
  pinHelp: 'Saisi pour cette signature uniquement.',
  pinSign: 'Signer l’ordonnance',
  pinCancel: 'Annuler',
  triesLeft: (n: number) => (n === 1 ? 'Dernier essai avant le blocage de la carte.' : `${n} essais restants.`),
};
