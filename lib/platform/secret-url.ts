/**
 * A stored password or token belongs to the address it was entered for. Its record keeps that address
 * (normalised here); whatever reads a secret compares the address it is about to be sent to with it
 * and refuses a difference, so pointing a saved account at another server never carries the secret
 * there: the user has to enter it again for the new address.
 */

/** Why a secret was not used: the address changed since it was entered, or it was never bound to one. */
export class SecretUrlMismatch extends Error {
  constructor(readonly boundUrl: string | undefined) {
    super(
      boundUrl === undefined
        ? 'the stored secret is not bound to an address: enter it again'
        : 'the address changed since the secret was entered: enter the token or password again for the new address',
    );
    this.name = 'SecretUrlMismatch';
  }
}

/**
 * Origin and path as entered, without trailing slashes, fragment or user info; the query is kept (a
 * different query is a different resource). Throws for anything but an http(s) URL, and for a URL that
 * carries credentials itself (they would travel outside the secret store).
 */
export function secretUrl(url: string): string {
  const parsed = new URL(url.trim());
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new TypeError('an http(s) address is expected');
  if (parsed.username || parsed.password) throw new TypeError('the address must not contain a user name or password');
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}${parsed.search}`;
}

/** Whether `url` is the address the secret was bound to (both normalised). */
export function isBoundTo(boundUrl: string | undefined, url: string): boolean {
  if (!boundUrl) return false;
  try {
    return secretUrl(boundUrl) === secretUrl(url);
  } catch {
    return false;
  }
}

/** Throws SecretUrlMismatch unless the secret's address is `url`. */
export function assertBoundTo(boundUrl: string | undefined, url: string): void {
  if (!isBoundTo(boundUrl, url)) throw new SecretUrlMismatch(boundUrl);
}
