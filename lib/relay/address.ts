/**
 * The relay's own, stricter reading of an address. RFC 5321/5322 allow forms that mail servers still
 * route in surprising ways: `a%b@relay` and `a!b@relay` (the old percent hack and bang paths, which some
 * servers forward to b), quoted local parts (`"x@evil"@host`), comments, source routes (`@a:x@b`) and IP
 * literals. None of them is ever an Octopus mailbox or a firm's sender, so the relay refuses them all
 * rather than trust the SMTP server to read them the way the allow-list did.
 */

const LOCAL = /^[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Why `value` is not an address the relay takes, in plain English; undefined when it is one. */
export function addressProblem(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'control characters are not allowed in an address';
  if (/[^\u0020-\u007e]/.test(value)) return 'only plain ASCII addresses are accepted';
  if (/\s/.test(value)) return 'spaces are not allowed in an address';
  if (value.includes('"')) return 'quoted local parts are not accepted';
  if (/[()]/.test(value)) return 'comments are not accepted in an address';
  if (/[<>]/.test(value)) return 'give the bare address, without angle brackets';
  if (value.startsWith('@') || value.includes(':')) return 'source routes are not accepted';
  if (value.includes('%')) return '"%" is not accepted in an address (it can reroute the mail)';
  if (value.includes('!')) return '"!" is not accepted in an address (it can reroute the mail)';
  const parts = value.split('@');
  if (parts.length !== 2) return 'an address has exactly one "@"';
  const [local, domain] = parts as [string, string];
  if (domain.startsWith('[') || /^[0-9.]+$/.test(domain)) return 'IP addresses are not accepted as a mail domain';
  if (value.length > 254 || local.length > 64) return 'the address is too long';
  if (!LOCAL.test(local)) return 'the part before "@" may hold only letters, digits and . _ + -';
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !/^[A-Za-z]{2,}$/.test(labels[labels.length - 1]!)) {
    return 'the part after "@" is not a domain name';
  }
  return undefined;
}

export function isRelayAddress(value: string): boolean {
  return addressProblem(value) === undefined;
}

/** The domain, lower case: what the access log keeps of a recipient. */
export function domainPart(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
