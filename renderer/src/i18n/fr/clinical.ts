/** The clinical header under the identity banner (issue 15, item 6). */
export const clinicalFr = {
  label: 'Repères cliniques',
  allergies: 'Allergies',
  noAllergy: 'aucune connue',
  critical: 'sévère',
  ald: 'ALD',
  weight: 'Poids',
  weightValue: (kg: string, date: string) => `${kg} kg (${date})`,
  trusted: 'Personne de confiance',
  contact: 'Contact',
  call: (name: string, phone: string) => `Appeler ${name} au ${phone}`,
  loading: 'Repères cliniques…',
  none: 'Aucun repère clinique sur la plateforme',
  unavailable: 'Repères cliniques indisponibles',
};
