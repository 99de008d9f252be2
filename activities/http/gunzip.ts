import { gunzipSync } from 'node:zlib';
import { FailureType } from '../../schemas/failure-types.js';
import { permanentFailure } from '../failures.js';

const GZIP_MAGIC = [0x1f, 0x8b];

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/**
 * Inflates a gzip body (e.g. sitemap.xml.gz) without letting a small bomb grow past `maxBytes`:
 * zlib stops at the limit instead of allocating whatever the archive claims.
 */
export function gunzipCapped(bytes: Uint8Array, maxBytes: number, url: string): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    const tooLarge = error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    if (tooLarge)
      throw permanentFailure(FailureType.BodyTooLarge, `${url}: inflates to more than ${maxBytes} bytes`, {
        url,
        maxBytes,
      });
    throw permanentFailure(
      FailureType.MalformedBody,
      `${url}: not a valid gzip file (${error instanceof Error ? error.message : String(error)})`,
      { url },
    );
  }
}
