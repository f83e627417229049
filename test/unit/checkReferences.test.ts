// scripts/check-references.mjs on throw-away folders: it reports each
// reference to a missing file or section, with its file and line, and nothing else.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve('scripts/check-references.mjs');

function folderWith(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'check-references-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

function check(root: string) {
  const run = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
  return { status: run.status, lines: run.stdout.trim().split('\n') };
}

/** Things that name no repository file and must pass: a URL, a glob, a placeholder, an npm path in code, a repo slug. */
const NOT_REFERENCES = [
  '// https://docs.openstack.org/neutron/latest/admin/deploy-ovs-selfservice.html',
  '// files like prisma/migrations/*_path_snapshot_* and prisma/migrations/<ts>_<name>/migration.sql',
  "const cli = require.resolve('prisma/build/index.js');",
  '// adapter-pg cannot read "char" columns (prisma/orm#27403)',
].join('\n');

describe('check-references', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('reports exactly the comment that names a missing file, with file and line', () => {
    const root = folderWith({
      'docs/model.md': '# Model\n',
      'prisma/migrations/20260101000000_path_snapshot_x/migration.sql': 'SELECT 1;\n',
      'src/a.ts': `// Rules: docs/model.md, "Model".\n// Scheduling: docs/scheduling.md, "Routers".\nexport const a = 1;\n${NOT_REFERENCES}\n`,
    });
    roots.push(root);
    const { status, lines } = check(root);
    expect(status).toBe(1);
    expect(lines[0]).toBe('src/a.ts:2: missing docs/scheduling.md');
    expect(lines).toHaveLength(2); // the line above and the count
  });

  it('checks markdown links and bare .md names against the files next to them', () => {
    const root = folderWith({
      'README.md': '[the model](docs/model.md#local-vlans), [a site](https://example.org/x.md)\nSee GUIDE.md.\n',
      'docs/model.md': 'Back to [the README](../README.md); see [operations](operations.md).\n',
    });
    roots.push(root);
    const { status, lines } = check(root);
    expect(status).toBe(1);
    expect(lines.slice(0, -1).sort()).toEqual(['README.md:2: missing GUIDE.md', 'docs/model.md:1: missing operations.md']);
  });

  it('checks that a cited section is a heading of its document, also when the title wraps over two comment lines', () => {
    const root = folderWith({
      'README.md': '# Project\n\n## Migrations\n\n```sh\n# Not a heading\n```\n',
      'docs/model.md': '# Model\n\n## Local VLANs (OVS agent)\n',
      'src/a.ts': [
        '// docs/model.md, "Local VLANs (OVS agent)"; docs/model.md, "Local VLANs"',
        '// (README, "Migrations" and "Tests and',
        '// CI"); README\'s "Not a heading"',
        'export const a = 1;',
      ].join('\n'),
    });
    roots.push(root);
    const { status, lines } = check(root);
    expect(status).toBe(1);
    expect(lines.slice(0, -1)).toEqual(['src/a.ts:2: missing README, "Tests and CI"', 'src/a.ts:3: missing README, "Not a heading"']);
  });

  it('passes when every reference is found', () => {
    const root = folderWith({
      'docs/model.md': '# Model\n',
      'src/a.ts': `// docs/model.md, "Model"\n${NOT_REFERENCES}\n`,
      'prisma/migrations/20260101000000_path_snapshot_x/migration.sql': 'SELECT 1;\n',
    });
    roots.push(root);
    const { status, lines } = check(root);
    expect(status).toBe(0);
    expect(lines).toEqual(['references: 4 in 3 files, all found']);
  });
});
