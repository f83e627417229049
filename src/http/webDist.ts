// Where the built dashboard lives (web/dist, made by scripts/build-web.mjs).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** The page a browser gets when web/dist was never built (the README's commands build it). */
export function notBuiltPage(dist: string, page: string): string | null {
  if (existsSync(path.join(dist, page))) return null;
  return `The dashboard is not built (${path.join(dist, page)} is missing): run \`node scripts/build-web.mjs\`, or start with \`npm start\`, which builds it.\n`;
}
