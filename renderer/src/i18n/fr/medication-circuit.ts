/** The medication circuit beside the treatments (issue 14, item 6). */
export const medicationCircuit = {
  prescribed: 'Prescrit',
  dispensed: (day: string) => `délivré le ${day}`,
  notDispensed: 'pas encore délivré',
  problem: (why: string) => `délivrance en attente : ${why}`,
  administered: (when: string, by: string | null) => `dernière prise validée le ${when}${by ? ` (${by})` : ''}`,
  reviewTitle: 'Bilan partagé de médication',
  reviewBy: (day: string, who: string) => `du ${day}${who ? `, par ${who}` : ''}`,
};
