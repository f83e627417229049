// The CLI's read commands against a running server.
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { buildPathCloud } from '../support/pathCloud.js';
import { pathCommand } from '../../src/commands/path.js';
import { showHostCommand } from '../../src/commands/showHost.js';
import { CommandError } from '../../src/commands/client.js';

let s: TestServer;
const printed: string[] = [];
let log: ReturnType<typeof jest.spyOn>;

beforeAll(async () => {
  s = await startTestServer();
  await buildPathCloud(s);
  process.env.NG_URL = s.url;
});
afterAll(async () => {
  delete process.env.NG_URL;
  await s?.stop();
});
beforeEach(() => {
  printed.length = 0;
  log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
});
afterEach(() => log.mockRestore());

it('prints the hops of a path as a table and exits 0 when delivered', async () => {
  expect(await pathCommand(['test', 'test2'])).toBe(0);
  const text = printed.join('\n');
  expect(text).toMatch(/^#\s+host\s+namespace\s+device\s+kind\s+vlan\s+tunnel\s+action/);
  expect(text).toMatch(/compute-1\s+br-tun\s+OVS_BRIDGE\s+0x39\s+strip VLAN 1, set tunnel 0x39/);
  expect(text).toMatch(/compute-2\s+vxlan-0a00000b\s+TUNNEL_PORT\s+0x39/);
  expect(text).toContain('DELIVERED: test -> test2');
});

it('exits 2 with the drop reason when dropped', async () => {
  expect(await pathCommand(['test', 'db', '--protocol', 'icmp'])).toBe(2);
  expect(printed.join('\n')).toContain('DROPPED (SECURITY_GROUP_INGRESS)');
});

it('exits 0 and says EXITED when the packet leaves the cloud', async () => {
  expect(await pathCommand(['test', '8.8.8.8', '--protocol', 'udp', '--port', '53'])).toBe(0);
  expect(printed.join('\n')).toMatch(/\nEXITED: test -> 8\.8\.8\.8: .*left the modelled cloud through gateway 172\.24\.4\.1/);
});

it('prints a diagram on request', async () => {
  expect(await pathCommand(['test', '8.8.8.8', '--diagram', 'dot'])).toBe(0);
  expect(printed.join('\n')).toMatch(/^digraph path \{/);
});

it('shows a host as ovs-vsctl show and dump-flows', async () => {
  expect(await showHostCommand(['compute-1', '--bridge', 'br-tun'])).toBe(0);
  const text = printed.join('\n');
  expect(text).toContain('# ovs-vsctl show (compute-1)');
  expect(text).toContain('Bridge br-int');
  expect(text).toContain(' table=22, priority=1,dl_vlan=1 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"');
});

it('prints brctl show, ip netns, and ip -o addr and ip route of each namespace', async () => {
  expect(await showHostCommand(['network-1', '--bridge', 'br-tun'])).toBe(0);
  const text = printed.join('\n');
  expect(text).toContain('# brctl show\nbridge name\tbridge id\t\tSTP enabled\tinterfaces\n');
  expect(text).toMatch(/# ip netns\nqdhcp-[0-9a-f-]{36} \(id: 0\)\n/);
  expect(text).toMatch(/# ip netns exec qrouter-[0-9a-f-]{36} ip -o addr\n1: lo    inet 127\.0\.0\.1\/8 scope host lo\\ /);
  expect(text).toMatch(/# ip netns exec qrouter-[0-9a-f-]{36} ip route\ndefault via 172\.24\.4\.1 dev qg-[0-9a-f-]{11} proto static \n/);
  printed.length = 0;
  expect(await showHostCommand(['compute-1', '--bridge', 'br-tun'])).toBe(0);
  expect(printed.join('\n')).toMatch(/\nqbr[0-9a-f-]{11}\t\t8000\.[0-9a-f]{12}\tno\t\tqvb[0-9a-f-]{11}\n\t{7}tap[0-9a-f-]{11}\n/);
});

it('explains bad usage and unknown hosts', async () => {
  await expect(pathCommand(['test'])).rejects.toThrow(CommandError);
  await expect(pathCommand(['test', 'test2', '--protocol', 'smtp'])).rejects.toThrow('--protocol is one of any, tcp, udp, icmp, sctp,');
  await expect(showHostCommand(['nowhere'])).rejects.toThrow("host 'nowhere' does not exist");
});

it('runs as `npm run cli -- path …` in its own process', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'path', 'test', 'web', '--protocol', 'tcp', '--port', '80'], {
    env: { ...process.env, NG_URL: s.url },
  });
  expect(stdout).toContain('DELIVERED: test -> web');
});
