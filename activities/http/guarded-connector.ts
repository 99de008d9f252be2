import { buildConnector } from 'undici';
import type { AddressGuard } from './address-guard.js';

/**
 * An undici connector that asks the guard first and then dials the very address the guard approved,
 * so a DNS answer cannot change between the check and the connection (rebinding). TLS still verifies
 * and sends SNI for the name in the URL: undici derives the server name from `host`, left untouched.
 */
export function guardedConnector(guard: AddressGuard, options: buildConnector.BuildOptions): buildConnector.connector {
  const connect = buildConnector(options);
  return (target, callback) => {
    const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
    guard.addressToDial(target.hostname, port).then(
      (address) => connect(address === null ? target : { ...target, hostname: address }, callback),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  };
}
