import { flow, ofPort, renderDumpFlows, renderFlow } from '../../../src/domain/plumbing/index.js';

describe('renderDumpFlows', () => {
  it('prints a flow like ovs-ofctl dump-flows without its counters', () => {
    expect(renderFlow(flow(22, 1, 'dl_vlan=1', 'strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"'))).toBe(
      ' table=22, priority=1,dl_vlan=1 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"',
    );
    expect(renderFlow(flow(0, 0, '', 'drop'))).toBe(' table=0, priority=0 actions=drop');
  });

  it('orders by table, then priority descending, keeping ties in order', () => {
    const text = renderDumpFlows([
      flow(20, 0, '', 'resubmit(,22)'),
      flow(0, 0, '', 'drop'),
      flow(20, 2, 'dl_vlan=2,dl_dst=fa:16:3e:00:00:02', 'x'),
      flow(0, 1, 'in_port="patch-int"', 'resubmit(,2)'),
      flow(20, 2, 'dl_vlan=1,dl_dst=fa:16:3e:00:00:01', 'y'),
    ]);
    expect(text).toBe(
      [
        ' table=0, priority=1,in_port="patch-int" actions=resubmit(,2)',
        ' table=0, priority=0 actions=drop',
        ' table=20, priority=2,dl_vlan=2,dl_dst=fa:16:3e:00:00:02 actions=x',
        ' table=20, priority=2,dl_vlan=1,dl_dst=fa:16:3e:00:00:01 actions=y',
        ' table=20, priority=0 actions=resubmit(,22)',
        '',
      ].join('\n'),
    );
    expect(renderDumpFlows([])).toBe('');
  });

  it('quotes port names unless they are a letter followed by letters and digits', () => {
    expect(ofPort('patch-int')).toBe('"patch-int"');
    expect(ofPort('qvo4874fb2a-1f')).toBe('"qvo4874fb2a-1f"');
    expect(ofPort('eth0')).toBe('eth0');
  });
});
