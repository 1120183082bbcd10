// SPDX-License-Identifier: Apache-2.0
// Messages of the portal's consultations, documents and invoices; English tied to French.

type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export const fr = {
  portalClinical: {
    nav: { records: 'Mes consultations', documents: 'Mes documents', invoices: 'Mes factures' },
    recordsTitle: 'Mes consultations',
    recordsIntro: 'Les consultations signées par votre médecin, vos traitements, allergies et constantes.',
    encounterTitle: 'Consultation',
    documentsTitle: 'Mes documents',
    invoicesTitle: 'Mes factures',
    invoiceTitle: 'Facture',
  },
};

export const en: Messages<typeof fr> = {
  portalClinical: {
    nav: { records: 'My consultations', documents: 'My documents', invoices: 'My invoices' },
    recordsTitle: 'My consultations',
    recordsIntro: 'The consultations your doctor signed, your treatments, allergies and vital signs.',
    encounterTitle: 'Consultation',
    documentsTitle: 'My documents',
    invoicesTitle: 'My invoices',
    invoiceTitle: 'Invoice',
  },
};
