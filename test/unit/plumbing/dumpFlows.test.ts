import { bridgeCookie, flow, hostFlows, ofPort, renderDumpFlows, renderFlow, withCookie } from '../../../src/domain/plumbing/index.js';
import { HOST1, HOST2, workedExample } from './fixtures.js';

const C = '0x8d5f0a1b2c3d4e5f';

describe('renderDumpFlows', () => {
  it('prints a flow like ovs-ofctl dump-flows, cookie first, without its counters', () => {
    const [tunnel, drop] = withCookie([flow(22, 1, 'dl_vlan=1', 'strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"'), flow(0, 0, '', 'drop')], C);
    expect(renderFlow(tunnel)).toBe(
      ' cookie=0x8d5f0a1b2c3d4e5f, table=22, priority=1,dl_vlan=1 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"',
    );
    expect(renderFlow(drop)).toBe(' cookie=0x8d5f0a1b2c3d4e5f, table=0, priority=0 actions=drop');
  });

  it('orders by table, then priority descending, keeping ties in order', () => {
    const text = renderDumpFlows(
      withCookie(
        [
          flow(20, 0, '', 'resubmit(,22)'),
          flow(0, 0, '', 'drop'),
          flow(20, 2, 'dl_vlan=2,dl_dst=fa:16:3e:00:00:02', 'x'),
          flow(0, 1, 'in_port="patch-int"', 'resubmit(,2)'),
          flow(20, 2, 'dl_vlan=1,dl_dst=fa:16:3e:00:00:01', 'y'),
        ],
        C,
      ),
    );
    expect(text).toBe(
      [
        ' table=0, priority=1,in_port="patch-int" actions=resubmit(,2)',
        ' table=0, priority=0 actions=drop',
        ' table=20, priority=2,dl_vlan=2,dl_dst=fa:16:3e:00:00:02 actions=x',
        ' table=20, priority=2,dl_vlan=1,dl_dst=fa:16:3e:00:00:01 actions=y',
        ' table=20, priority=0 actions=resubmit(,22)',
      ]
        .map((l) => ` cookie=${C},${l}\n`)
        .join(''),
    );
    expect(renderDumpFlows([])).toBe('');
  });

  it('quotes port names unless they are a letter followed by letters and digits', () => {
    expect(ofPort('patch-int')).toBe('"patch-int"');
    expect(ofPort('qvo4874fb2a-1f')).toBe('"qvo4874fb2a-1f"');
    expect(ofPort('eth0')).toBe('eth0');
  });
});

describe('flow cookies', () => {
  it('are a uint64 below 2^64 - 1 in lowercase hex without leading zeros, stable per host and bridge', () => {
    const cookie = bridgeCookie(HOST1, 'br-tun');
    expect(cookie).toMatch(/^0x[1-9a-f][0-9a-f]{0,15}$/);
    expect(BigInt(cookie) < (1n << 64n) - 1n).toBe(true);
    expect(bridgeCookie(HOST1, 'br-tun')).toBe(cookie);
    // Each bridge object of the agent draws its own cookie; so does each host's agent.
    expect(new Set([cookie, bridgeCookie(HOST1, 'br-int'), bridgeCookie(HOST1, 'br-ex'), bridgeCookie(HOST2, 'br-tun')]).size).toBe(4);
  });

  it('are on every flow of a bridge', () => {
    const index = workedExample();
    for (const bridge of ['br-int', 'br-tun']) {
      const flows = hostFlows(index, HOST1, bridge);
      expect(flows.length).toBeGreaterThan(5);
      expect(new Set(flows.map((f) => f.cookie))).toEqual(new Set([bridgeCookie(HOST1, bridge)]));
    }
  });
});
