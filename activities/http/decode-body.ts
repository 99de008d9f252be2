import { getEncoding } from 'encoding-sniffer';

/**
 * How far into a body a charset declaration is looked for. The HTML standard's prescan stops at 1,024
 * bytes; pages that put `<meta charset>` after a long head of scripts and comments are common enough
 * that a few more kilobytes are worth reading (the scan is linear and stops at the first answer).
 */
const SNIFF_BYTES = 4096;

/**
 * Turns a response body into text, taking its charset the way a browser does: a byte order mark first,
 * then the charset the server declared in Content-Type, then what the document says of itself (an XML
 * declaration's `encoding`, `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">`,
 * read by encoding-sniffer's WHATWG prescan), else UTF-8. Feeds and pages in windows-1251 or gb2312
 * that say so only inside themselves are common in the wild.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const charset = getEncoding(bytes, {
    maxBytes: SNIFF_BYTES,
    // An unknown label here is ignored, so the document's own declaration still counts.
    transportLayerEncodingLabel: charsetFromContentType(contentType),
    defaultEncoding: 'utf-8',
  });
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    // A name this Node's TextDecoder lacks: UTF-8 is the only safe guess.
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function charsetFromContentType(contentType: string | null): string | undefined {
  const match = contentType?.match(/charset\s*=\s*"?([\w.:-]+)"?/i);
  return match?.[1]?.toLowerCase();
}
