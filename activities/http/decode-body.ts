/**
 * Turns a response body into text using the charset the server declared, or else the one an XML
 * declaration names, or else UTF-8. Feeds in windows-1251 or gb2312 are common in the wild.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const charset = charsetFromContentType(contentType) ?? charsetFromXmlDeclaration(bytes) ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    // An unknown label: UTF-8 is the only safe guess.
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function charsetFromContentType(contentType: string | null): string | undefined {
  const match = contentType?.match(/charset\s*=\s*"?([\w.:-]+)"?/i);
  return match?.[1]?.toLowerCase();
}

function charsetFromXmlDeclaration(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const match = head.match(/<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i);
  return match?.[1]?.toLowerCase();
}
