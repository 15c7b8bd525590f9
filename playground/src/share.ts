/**
 * The script in the URL: `#sql=` followed by the UTF-8 text in base64url (RFC 4648 §5, no
 * padding), so a link reproduces the editor exactly, with no server involved.
 */

export function encodeScript(script: string): string {
  const bytes = new TextEncoder().encode(script);
  let binary = '';
  // In slices: spreading a long array into String.fromCharCode overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The script of a `#sql=` hash; undefined when there is none or it does not decode. */
export function decodeScript(hash: string): string | undefined {
  const m = /^#?(?:.*&)?sql=([A-Za-z0-9_-]*)/.exec(hash);
  if (!m) return undefined;
  try {
    const binary = atob(m[1]!.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function scriptHash(script: string): string {
  return `#sql=${encodeScript(script)}`;
}
