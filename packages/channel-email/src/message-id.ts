/**
 * The RFC 5322 `Message-ID` for a CareRelay message id: `<id@domain>`. The same notification or digest id always
 * gives the same Message-ID, so a resent copy is recognisably the same message to mail clients and archives.
 * Characters not allowed in a msg-id's dot-atom are replaced with `-`.
 */
export function messageIdFor(id: string, domain = 'carerelay'): string {
  const clean = (part: string) => part.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '-').replace(/^\.+|\.+$/g, '').replace(/\.{2,}/g, '.') || 'message';
  return `<${clean(id)}@${clean(domain)}>`;
}
