// Fails when a comment or a document names a repository file that does not
// exist: relative paths under the project's top folders (src, docs, test,
// prisma, bench, scripts, web), bare `*.md` names, and markdown links to
// local files. Code files are read for their comments only; markdown, SQL,
// Prisma, GraphQL and CI files are read whole. Globs and placeholders
// (`prisma/migrations/*_name`, `<timestamp>_<name>`) are checked up to their
// first wildcard; URLs and npm package paths are not references; a path git
// ignores (generated code) counts as present. A section cited with its
// document (`docs/neutron-model.md, "Device names"`, `README, "Migrations"`)
// must be one of the document's headings.
//
// Usage: node scripts/check-references.mjs [root]   (default: the working directory)
// Scans the files git tracks under root, or every file when root is not a
// git work tree. Prints `file:line: missing <target>` and exits 1 when a
// target is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

const TOP_FOLDERS = ['src', 'docs', 'test', 'prisma', 'bench', 'scripts', 'web'];
const CODE = /\.(ts|tsx|js|mjs|cjs)$/;
const WHOLE_TEXT = /\.(md|sql|prisma|graphql|sh)$|^\.ci\//;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.git', '.data']);
const MAX_BYTES = 1_000_000;

/** Characters a path token may hold; anything else ends it. */
const PATH_CHARS = String.raw`[\w.@+\-/*?<>{}…]`;
/** What may come right before a reference: not part of a longer path, word or URL. */
const BEFORE = String.raw`(?<![\w.@/\-:])`;
const REPO_PATH = new RegExp(`${BEFORE}(?:\\./)?((?:${TOP_FOLDERS.join('|')})/${PATH_CHARS}*)`, 'g');
const BARE_MD = new RegExp(`${BEFORE}([\\w\\-][\\w.\\-]*\\.md)(?![\\w\\-/])`, 'g');
const MD_LINK = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const WILDCARD = /[*?<>{}…]/;

function isGitRoot(root) {
  try {
    const top = execFileSync('git', ['-C', root, 'rev-parse', '--show-toplevel'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return realpathSync(top) === realpathSync(root);
  } catch {
    return false;
  }
}

/** A path git ignores is generated (the Prisma client, build output): naming it is fine. */
function isIgnored(root, target) {
  try {
    execFileSync('git', ['-C', root, 'check-ignore', '-q', '--no-index', target], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function listFiles(root, git) {
  if (git) return execFileSync('git', ['-C', root, 'ls-files', '-z'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\0').filter(Boolean);
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(rel);
      } else if (entry.isFile()) files.push(rel);
    }
  };
  walk('');
  return files;
}

/**
 * The comment text of each line of a JavaScript/TypeScript file (empty where
 * the line has none): `//` comments and `/* *\/` blocks, outside strings and
 * template literals.
 */
export function commentsOf(text) {
  const out = [];
  let inBlock = false;
  let inTemplate = false;
  for (const line of text.split('\n')) {
    let comment = '';
    let quote = null;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (inBlock) {
        if (c === '*' && line[i + 1] === '/') {
          inBlock = false;
          i++;
        } else comment += c;
      } else if (inTemplate) {
        if (c === '\\') i++;
        else if (c === '`') inTemplate = false;
      } else if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '`') inTemplate = true;
      else if (c === '/' && line[i + 1] === '/') {
        comment += line.slice(i + 2);
        break;
      } else if (c === '/' && line[i + 1] === '*') {
        inBlock = true;
        i++;
      }
    }
    out.push(comment);
  }
  return out;
}

const trimTrailing = (token) => token.replace(/[.,:;!?)>\]}'"`]+$/, '');

/** The part of a glob or placeholder path before its first wildcard segment, or null when it has none. */
function fixedPrefix(target) {
  if (!WILDCARD.test(target)) return null;
  const segments = target.split('/');
  const first = segments.findIndex((s) => WILDCARD.test(s));
  return segments.slice(0, first).join('/');
}

/** Does the repository hold `target` (a path from the root)? `.js` names may stand for their TypeScript source. */
function exists(root, target) {
  const full = path.join(root, target);
  if (existsSync(full)) return true;
  if (/\.js$/.test(target) && existsSync(full.replace(/\.js$/, '.ts'))) return true;
  return false;
}

/** Whether a top-folder token is a path at all: a file name with an extension, or a folder ending in '/'. */
const looksLikePath = (token) => token.endsWith('/') || /\.[A-Za-z0-9]{1,10}$/.test(token.split('/').pop());

/** The references of one line of a file: [{ target, resolved }] (resolved: from the root). */
export function referencesIn(line, file, { markdown }) {
  const found = [];
  const dir = path.posix.dirname(file);
  for (const m of line.matchAll(REPO_PATH)) {
    const token = trimTrailing(m[1]);
    if (!looksLikePath(token) && !WILDCARD.test(token)) continue;
    found.push({ target: token, candidates: [token] });
  }
  for (const m of line.matchAll(BARE_MD)) {
    const name = m[1];
    found.push({ target: name, candidates: [path.posix.join(dir, name), name] });
  }
  if (markdown) {
    for (const m of line.matchAll(MD_LINK)) {
      let link = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('#') || link.startsWith('//')) continue;
      link = decodeURI(link.replace(/[#?].*$/, ''));
      if (!link) continue;
      const resolved = link.startsWith('/') ? link.slice(1) : path.posix.normalize(path.posix.join(dir, link));
      found.push({ target: link, candidates: [resolved] });
    }
  }
  return found;
}

/**
 * A document cited with a section title, as comments here do:
 * `docs/neutron-model.md, "Local VLANs (OVS agent)"`, `README, "Migrations"`,
 * `README's "Tests and CI"`, several titles joined by "and".
 */
const SECTION_REF = /(?<![\w.@/\-])((?:[\w.\-]+\/)*[\w.\-]+\.md|README)(?:'s)?,?\s+"([^"]+)"((?:\s*(?:,|and|,\s*and)\s*"[^"]+")*)/g;

/**
 * The titles a markdown file's headings (outside code fences) may be cited
 * by: each heading, and a heading ending in a parenthesis without it
 * ("Local VLANs" for "Local VLANs (OVS agent)").
 */
function headingsOf(text) {
  const headings = new Set();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    headings.add(m[1]);
    const short = m[1].replace(/\s+\([^()]*\)$/, '');
    if (short) headings.add(short);
  }
  return headings;
}

/**
 * Runs of consecutive non-empty lines (a comment block, a paragraph) joined
 * with spaces, so that a title wrapped over two comment lines reads whole;
 * lineAt maps an offset of the joined text back to its line number.
 */
function blocksOf(lines) {
  const blocks = [];
  let current = null;
  lines.forEach((raw, i) => {
    const line = raw.replace(/^\s*\*?\s?/, '').trim();
    if (!line) {
      current = null;
      return;
    }
    if (!current) blocks.push((current = { text: '', starts: [] }));
    if (current.text) current.text += ' ';
    current.starts.push([current.text.length, i + 1]);
    current.text += line;
  });
  return blocks.map(({ text, starts }) => ({
    text,
    lineAt: (offset) => starts.filter(([start]) => start <= offset).pop()[1],
  }));
}

/** Section titles cited for a document that has no such heading. */
function missingSections(root, file, lines, headingCache) {
  const missing = [];
  let checked = 0;
  for (const block of blocksOf(lines)) {
    for (const m of block.text.matchAll(SECTION_REF)) {
      const name = m[1] === 'README' ? 'README.md' : m[1];
      const candidates = name.includes('/') ? [name] : [path.posix.join(path.posix.dirname(file), name), name];
      const doc = candidates.find((c) => existsSync(path.join(root, c)));
      if (!doc) continue; // reported as a missing file
      if (!headingCache.has(doc)) headingCache.set(doc, headingsOf(readFileSync(path.join(root, doc), 'utf8')));
      const titles = [m[2], ...[...m[3].matchAll(/"([^"]+)"/g)].map((t) => t[1])];
      for (const title of titles) {
        checked++;
        if (!headingCache.get(doc).has(title)) missing.push({ file, line: block.lineAt(m.index), target: `${m[1]}, "${title}"` });
      }
    }
  }
  return { checked, missing };
}

export function checkReferences(root) {
  const headingCache = new Map();
  const missing = [];
  let checked = 0;
  const git = isGitRoot(root);
  const files = listFiles(root, git).filter((f) => (CODE.test(f) || WHOLE_TEXT.test(f)) && !f.split('/').some((s) => SKIPPED_DIRS.has(s)));
  for (const file of files) {
    const full = path.join(root, file);
    if (!existsSync(full) || statSync(full).size > MAX_BYTES) continue;
    const text = readFileSync(full, 'utf8');
    const lines = CODE.test(file) ? commentsOf(text) : text.split('\n');
    const markdown = file.endsWith('.md');
    lines.forEach((line, i) => {
      const seen = new Set();
      for (const ref of referencesIn(line, file, { markdown })) {
        if (seen.has(ref.target)) continue;
        seen.add(ref.target);
        checked++;
        const ok = ref.candidates.some((c) => {
          const prefix = fixedPrefix(c);
          if (prefix === '') return true;
          const fixed = prefix ?? c;
          return exists(root, fixed) || (git && isIgnored(root, fixed));
        });
        if (!ok) missing.push({ file, line: i + 1, target: ref.target });
      }
    });
    const sections = missingSections(root, file, lines, headingCache);
    checked += sections.checked;
    missing.push(...sections.missing);
  }
  return { files: files.length, checked, missing };
}

const isMain = process.argv[1] && realpathSync(process.argv[1]) === realpathSync(new URL(import.meta.url).pathname);
if (isMain) {
  const root = path.resolve(process.argv[2] ?? '.');
  const { files, checked, missing } = checkReferences(root);
  for (const m of missing) console.log(`${m.file}:${m.line}: missing ${m.target}`);
  if (missing.length > 0) {
    console.log(`${missing.length} reference(s) to missing files or sections (of ${checked} in ${files} files)`);
    process.exit(1);
  }
  console.log(`references: ${checked} in ${files} files, all found`);
}
