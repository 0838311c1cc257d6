const MOBILE = /^\+?[0-9-]{3,20}$/;

/** The recipients that look like phone numbers (robots mention by mobile). */
export function mobilesOf(recipients: readonly string[]): string[] {
  return recipients.filter((r) => MOBILE.test(r));
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes (robots limit by bytes), marking the cut. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) {
    return text;
  }
  const marker = '\n…';
  let cut = Buffer.from(text).subarray(0, maxBytes - Buffer.byteLength(marker)).toString('utf8');
  // A multi-byte character cut in half decodes to U+FFFD: drop it.
  cut = cut.replace(/\uFFFD+$/, '');
  return cut + marker;
}
