// Adds lockfile entries for platform-specific optional packages that the package registry reachable
// here does not serve (e.g. @swc/core-darwin-arm64). npm writes a lock without them, and `npm ci` then
// refuses that lock as out of sync. Each added entry carries its os/cpu, so npm skips it on other
// platforms exactly as it would skip the real package. Run after `npm install` changes the lock:
//   node scripts/complete-lockfile.mjs          (fix)
//   node scripts/complete-lockfile.mjs --check  (CI: fail with a hint instead)
import { readFileSync, writeFileSync } from 'node:fs';

const lockUrl = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockUrl, 'utf8'));
const packages = lock.packages;

/** os/cpu(/libc) read from a platform package's name: <scope>/<name>-<os>-<cpu>[-<libc or abi>]. */
function platformOf(name) {
  const match = name.match(
    /-(darwin|linux|win32|freebsd|android|openbsd|sunos|aix|netbsd)-(x64|arm64|arm|ia32|ppc64|s390x|riscv64|loong64|mips64el)(?:-(gnu|musl|gnueabihf|msvc|eabi))?$/,
  );
  if (!match) return undefined;
  const [, os, cpu, abi] = match;
  return {
    os: [os],
    cpu: [cpu],
    ...(abi === 'gnu' || abi === 'musl' ? { libc: [abi === 'gnu' ? 'glibc' : 'musl'] } : {}),
  };
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  if (!path.startsWith('node_modules/') || !entry.optionalDependencies) continue;
  const parentDir = path.slice(0, path.lastIndexOf('node_modules/'));
  for (const [name, version] of Object.entries(entry.optionalDependencies)) {
    const candidates = [`${path}/node_modules/${name}`, `${parentDir}node_modules/${name}`, `node_modules/${name}`];
    if (candidates.some((candidate) => packages[candidate])) continue;
    const platform = platformOf(name);
    if (!platform) continue;
    packages[`node_modules/${name}`] = { version, ...platform, optional: true };
    added += 1;
  }
}

if (process.argv.includes('--check')) {
  if (added > 0) {
    console.error(
      `package-lock.json lacks ${added} platform entries npm ci will ask for: run \`npm run lock:complete\` and commit the lock`,
    );
    process.exit(1);
  }
  process.exit(0);
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(lockUrl, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entr${added === 1 ? 'y' : 'ies'}`);
