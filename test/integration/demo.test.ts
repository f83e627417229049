// `demo` on a server that has the demo cloud already says so, exits 0 and
// adds nothing; on a model with another cloud's host of the same name it
// adds nothing and fails.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { registerHost, rowCounts } from '../support/fixtures.js';

const cli = (url: string) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'demo'], { env: { ...process.env, NG_URL: url } });

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 120_000);
afterAll(async () => s?.stop());

it('loads the demo cloud once; run again, it says so, exits 0 and adds nothing', async () => {
  const first = await cli(s.url);
  expect(first.stdout).toMatch(/^demo cloud loaded: \d+ hosts, /);
  const loaded = await rowCounts(s);
  const again = await cli(s.url);
  expect(again.stdout).toBe('the demo cloud is already loaded (hosts compute-1, compute-2, network-1): nothing added\n');
  expect(await rowCounts(s)).toEqual(loaded);
}, 120_000);

it('adds nothing over another cloud that holds one of its host names, and exits 1', async () => {
  const other = await startTestServer();
  try {
    await registerHost(other, 'compute-2', '10.9.0.2');
    const before = await rowCounts(other);
    const run = cli(other.url);
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('host(s) compute-2 already exist: the demo cloud loads only into a model without its hosts; nothing added') });
    expect(await rowCounts(other)).toEqual(before);
  } finally {
    await other.stop();
  }
}, 120_000);
