import { renderLegacyDumpFlows, ofportNumbers, flow } from '../../../src/domain/plumbing/index.js';

describe('ofctl-style flows', () => {
  const bridge = {
    name: 'br-tun',
    ports: [
      { name: 'br-tun', type: 'internal' as const, tag: null, peer: null, remoteIp: null, localIp: null },
      { name: 'vxlan-0a00000c', type: 'vxlan' as const, tag: null, peer: null, remoteIp: '10.0.0.12', localIp: '10.0.0.11' },
      { name: 'patch-int', type: 'patch' as const, tag: null, peer: 'patch-tun', remoteIp: null, localIp: null },
    ],
  };

  it('numbers patch ports first, the bridge port is LOCAL', () => {
    expect([...ofportNumbers(bridge)]).toEqual([['patch-int', 1], ['vxlan-0a00000c', 2]]);
  });

  it('prints set_tunnel and ofport numbers as the ofctl driver did', () => {
    const text = renderLegacyDumpFlows(
      [
        flow(22, 1, 'dl_vlan=1', 'strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"'),
        flow(0, 1, 'in_port="patch-int"', 'resubmit(,2)'),
      ],
      ofportNumbers(bridge),
    );
    expect(text).toBe(' table=0, priority=1,in_port=1 actions=resubmit(,2)\n table=22, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x39,output:2\n');
  });
});
