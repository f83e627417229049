// A DATABASE_URL that is not a PostgreSQL URL stops `serve` (and the other
// commands) at once with a message that says so, instead of a connection
// error about a host that the URL never named.
import { spawnSync } from 'node:child_process';

function run(args: string[], databaseUrl: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('a DATABASE_URL that is not a PostgreSQL URL', () => {
  it('serve says it is not a URL, and exits 1 before connecting anywhere', () => {
    const { code, stderr, stdout } = run(['serve'], 'base');
    expect(code).toBe(1);
    expect(stderr).toContain("DATABASE_URL is not a URL: 'base'");
    expect(stderr).toContain('postgresql://user:password@host:5432/database');
    expect(stderr).not.toMatch(/reach database server/i);
    expect(stdout).not.toContain('serving');
  });

  it('names the wrong scheme', () => {
    const { code, stderr } = run(['serve'], 'mysql://root@db:3306/neutron');
    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL must be a postgresql:// or postgres:// URL, got a mysql: URL');
  });

  it('never repeats the password of a URL it refuses', () => {
    const { code, stderr } = run(['migrate', 'deploy'], 'postgresql://admin:s3cr3t-pw@/neutron');
    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL is not a URL');
    expect(stderr).not.toContain('s3cr3t-pw');
  });
});
