/** Countries as invoicing apps print them, and as VAT numbers give them. */

/** Country names as apps print them in addresses (en, nl, fr, de) → ISO codes; VAT ids give the rest. */
const COUNTRY_NAMES: Record<string, string> = {
  belgium: 'BE', belgië: 'BE', belgie: 'BE', belgique: 'BE', belgien: 'BE',
  netherlands: 'NL', 'the netherlands': 'NL', nederland: 'NL', 'pays-bas': 'NL', niederlande: 'NL',
  france: 'FR', frankrijk: 'FR', frankreich: 'FR',
  germany: 'DE', duitsland: 'DE', allemagne: 'DE', deutschland: 'DE',
  luxembourg: 'LU', luxemburg: 'LU',
  sweden: 'SE', zweden: 'SE', suède: 'SE', schweden: 'SE',
  spain: 'ES', spanje: 'ES', espagne: 'ES', spanien: 'ES',
  italy: 'IT', italië: 'IT', italie: 'IT', italien: 'IT',
  austria: 'AT', oostenrijk: 'AT', autriche: 'AT', österreich: 'AT',
  'united kingdom': 'GB', 'verenigd koninkrijk': 'GB', 'royaume-uni': 'GB', 'vereinigtes königreich': 'GB',
  switzerland: 'CH', zwitserland: 'CH', suisse: 'CH', schweiz: 'CH',
  'united states': 'US', 'verenigde staten': 'US', 'états-unis': 'US', usa: 'US',
  denmark: 'DK', ireland: 'IE', poland: 'PL', portugal: 'PT',
};

export function countryFromName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  return COUNTRY_NAMES[name.trim().toLowerCase()];
}

export function countryFromVat(vatId: string | undefined): string | undefined {
  const prefix = vatId?.trim().slice(0, 2).toUpperCase();
  if (!prefix || !/^[A-Z]{2}$/.test(prefix)) return undefined;
  return prefix === 'EL' ? 'GR' : prefix;
}
