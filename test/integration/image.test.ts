// The Dockerfile and docker-compose.yml, read as files (no Docker engine
// here): the image compiles TypeScript once and runs node on the compiled
// CLI as a non-root user on an LTS Node inside package.json's engines;
// compose checks readiness, keeps PostgreSQL off the host's ports, says how
// to read the first token and sets the production settings.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions per stage (continuation lines joined, comments dropped). */
function stages(text: string): Instruction[][] {
  const joined = text.replace(/\\\n/g, ' ');
  const result: Instruction[][] = [];
  for (const line of joined.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(trimmed)!;
    if (keyword.toUpperCase() === 'FROM') result.push([]);
    result[result.length - 1].push({ keyword: keyword.toUpperCase(), args });
  }
  return result;
}

/** Whether `major` satisfies a `^a.b || ^c.d || >=e` engines range. */
function majorAllowed(range: string, major: number): boolean {
  return range.split('||').some((part) => {
    const p = part.trim();
    const caret = /^\^(\d+)/.exec(p);
    if (caret) return Number(caret[1]) === major;
    const atLeast = /^>=\s*(\d+)/.exec(p);
    return atLeast ? major >= Number(atLeast[1]) : false;
  });
}

describe('Dockerfile', () => {
  const all = stages(read('Dockerfile'));
  const runtime = all[all.length - 1];
  const builder = all.slice(0, -1).flat();
  const pkg = JSON.parse(read('package.json'));

  it('builds in a stage of its own with npm run build, and the runtime stage copies the compiled output', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(builder.filter((i) => i.keyword === 'RUN').map((i) => i.args).join(' ')).toMatch(/npm run build\b/);
    expect(runtime.some((i) => i.keyword === 'COPY' && /--from=\S+ \/app\/dist /.test(i.args))).toBe(true);
    // The runtime stage compiles nothing and installs nothing.
    expect(runtime.filter((i) => i.keyword === 'RUN').map((i) => i.args).join(' ')).not.toMatch(/npm|tsc|tsx/);
  });

  it('runs node on the compiled CLI directly, not npm or tsx', () => {
    const cmd = runtime.filter((i) => i.keyword === 'CMD').pop()!;
    expect(JSON.parse(cmd.args)).toEqual(['node', 'dist/cli.js', 'serve']);
    expect(runtime.some((i) => i.keyword === 'ENTRYPOINT')).toBe(false);
    // dist/cli.js is where the build puts src/cli.ts.
    const build = JSON.parse(read('tsconfig.build.json'));
    expect(build.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json');
  });

  it('runs as a non-root user', () => {
    const users = runtime.filter((i) => i.keyword === 'USER').map((i) => i.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);
  });

  it('uses an LTS Node image that package.json engines allow, in both stages', () => {
    const images = all.map((stage) => stage[0].args.split(/\s+/)[0]);
    for (const image of images) {
      const match = /^node:(\d+)-/.exec(image);
      expect(match).not.toBeNull();
      const major = Number(match![1]);
      expect(major % 2).toBe(0); // even majors are the LTS lines
      expect(major).toBeGreaterThanOrEqual(22); // 20 left maintenance in April 2026
      expect(majorAllowed(pkg.engines.node, major)).toBe(true);
    }
  });

  it('sets production mode and a writable folder for the embedded database', () => {
    const env = runtime.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/NODE_ENV=production/);
    expect(env).toMatch(/DATA_DIR=\/data/);
  });
});

describe('docker-compose.yml', () => {
  const text = read('docker-compose.yml');
  const compose = parse(text);
  const app = compose.services['neutron-graph'];
  const postgres = compose.services.postgres;

  it('checks the app on /readyz', () => {
    expect(app.healthcheck.test.join(' ')).toContain('/readyz');
    expect(app.healthcheck.test[0]).toBe('CMD');
  });

  it('does not publish PostgreSQL on the host', () => {
    expect(postgres.ports).toBeUndefined();
    expect(JSON.stringify(compose.services)).not.toMatch(/5432:5432/);
  });

  it('shows how to read the first admin token', () => {
    expect(text).toMatch(/docker compose logs neutron-graph \| grep .*FIRST ADMIN API TOKEN/);
  });

  it('sets the production settings, and gives the drain time to finish before docker kills it', () => {
    expect(app.environment).toMatchObject({ NODE_ENV: 'production', AUTH: 'on' });
    expect(app.environment.DATABASE_URL).toMatch(/^postgresql:\/\/neutron:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\//);
    expect(postgres.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    const grace = Number(/^(\d+)s$/.exec(app.stop_grace_period)![1]) * 1000;
    expect(grace).toBeGreaterThan(Number(app.environment.SHUTDOWN_DELAY_MS) + Number(app.environment.DRAIN_TIMEOUT_MS));
    expect(app.depends_on.postgres.condition).toBe('service_healthy');
  });
});
