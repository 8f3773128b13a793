/**
 * E-mail addresses as users paste them. Only a plain addr-spec (RFC 5322 dot-atom local part, a host
 * name) is accepted: quoted local parts and IP literals are legal but never an Octopus mailbox, and
 * refusing them keeps header injection out of reach.
 */

const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const ADDR_SPEC = new RegExp(`^${ATEXT}(?:\\.${ATEXT})*@${LABEL}(?:\\.${LABEL})*$`);

export function normalizeAddress(value: string): string {
  return value.trim();
}

export function isAddress(value: string): boolean {
  const address = normalizeAddress(value);
  if (address.length > 254) return false;
  const at = address.lastIndexOf('@');
  if (at < 1 || at > 64) return false;
  return ADDR_SPEC.test(address);
}

export function domainOf(address: string): string {
  return normalizeAddress(address).slice(normalizeAddress(address).lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Octopus's import mailboxes live under octopus.be (import.octopus.be, docin.octopus.be, …); the
 * exact domain is not documented, so another domain gets a warning, never a refusal.
 */
export function isOctopusMailbox(address: string): boolean {
  const domain = domainOf(address);
  return domain === 'octopus.be' || domain.endsWith('.octopus.be');
}

/** `pattern` is an address, a domain, or `*.domain` (the domain's subdomains). */
export function addressAllowed(address: string, patterns: readonly string[]): boolean {
  const lower = normalizeAddress(address).toLowerCase();
  const domain = domainOf(lower);
  return patterns.some((raw) => {
    const pattern = raw.trim().toLowerCase();
    if (!pattern) return false;
    if (pattern.includes('@')) return pattern === lower;
    if (pattern.startsWith('*.')) return domain.endsWith(pattern.slice(1));
    return domain === pattern;
  });
}
