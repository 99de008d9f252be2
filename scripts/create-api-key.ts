import { randomBytes } from 'node:crypto';
import { apiKeyScopes, type ApiKeyScope } from '../src/api/auth.js';

// Prints a new random API key as an API_KEYS entry. Nothing is stored: add the line to the environment
// of the API process (and keep the key somewhere safe; it cannot be recovered).
const scope = (process.argv[2] ?? 'read') as ApiKeyScope;
if (!apiKeyScopes.includes(scope)) {
  console.error(`usage: npm run api-key -- <${apiKeyScopes.join('|')}>`);
  process.exit(2);
}
console.log(`${scope}:${randomBytes(24).toString('base64url')}`);
