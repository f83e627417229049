// Builds the dashboard into web/dist when the output is missing or older than
// any of its sources (web/, package-lock.json); `--force` always builds. Run
// before `npm start` and `npm test`, so the README's two commands need
// nothing else.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const web = path.join(root, 'web');
const dist = path.join(web, 'dist');
const stamp = path.join(dist, '.built');

/** The newest modification time among the page's sources. */
function newestSource(dir = web) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (full === dist) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const sourcesTime = Math.max(newestSource(), statSync(path.join(root, 'package-lock.json')).mtimeMs);
const fresh = existsSync(stamp) && statSync(stamp).mtimeMs >= sourcesTime;
if (fresh && !process.argv.includes('--force')) process.exit(0);

process.stderr.write('building the dashboard (web/ -> web/dist)\n');
const { build } = await import('vite');
await build({ configFile: path.join(web, 'vite.config.ts') });
writeFileSync(stamp, `${new Date().toISOString()}\n`);
