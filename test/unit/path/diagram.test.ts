// Diagrams of a traced path, in Mermaid and Graphviz DOT.
import { renderDiagram } from '../../../src/domain/diagram.js';
import { routerNamespace } from '../../../src/domain/naming.js';
import { tracePath, type Hop } from '../../../src/domain/path/index.js';
import { workedExample } from './fixtures.js';
import { PING } from './helpers.js';

const hop = (seq: number, hostId: string | null, device: string, kind: Hop['kind'], extra: Partial<Hop> = {}): Hop => ({
  seq, hostId, namespace: null, device, kind, vlan: null, tunnelId: null, action: '', ...extra,
});

// A VM on compute-1 reaching a router on network-1 over VXLAN 0x39, shortened.
const NS = 'qrouter-dddd';
const hops: Hop[] = [
  hop(1, 'h1', 'vm "one"', 'VNIC'),
  hop(2, 'h1', 'br-int', 'OVS_BRIDGE', { vlan: 1 }),
  hop(3, 'h1', 'br-tun', 'OVS_BRIDGE', { tunnelId: 57 }),
  hop(4, null, 'vxlan 0x39', 'OVERLAY', { tunnelId: 57 }),
  hop(5, 'h2', 'br-int', 'OVS_BRIDGE', { vlan: 2 }),
  hop(6, 'h2', 'qr-1', 'ROUTER_INTERFACE', { namespace: NS, vlan: 2 }),
  hop(7, 'h2', NS, 'NAMESPACE', { namespace: NS }),
];
const names = new Map([['h1', 'compute-1'], ['h2', 'network "1"']]);
const dropped = { hops, verdict: 'DROPPED', dropReason: 'NO_ROUTE' } as const;
const delivered = (h: Hop[]) => ({ hops: h, verdict: 'DELIVERED', dropReason: null }) as const;

describe('renderDiagram', () => {
  it('renders Mermaid: one subgraph per host, nested namespaces, outside hops on their own', () => {
    expect(renderDiagram(dropped, names, 'MERMAID')).toBe(
      [
        'flowchart LR',
        '  subgraph host_1["compute-1"]',
        '    h1["vm #quot;one#quot;"]',
        '    h2["br-int<br/>VLAN 1"]',
        '    h3["br-tun<br/>tunnel 0x39"]',
        '  end',
        '  h4(["vxlan 0x39<br/>tunnel 0x39"])',
        '  subgraph host_2["network #quot;1#quot;"]',
        '    h5["br-int<br/>VLAN 2"]',
        '    subgraph host_2_ns_1["qrouter-dddd"]',
        '      h6["qr-1<br/>VLAN 2"]',
        '      h7["qrouter-dddd"]',
        '    end',
        '  end',
        '  h1 --> h2',
        '  h2 --> h3',
        '  h3 --> h4',
        '  h4 --> h5',
        '  h5 --> h6',
        '  h6 --> h7',
        '  verdict{{"DROPPED: NO_ROUTE"}}',
        '  h7 --> verdict',
        '',
      ].join('\n'),
    );
  });

  it('renders DOT: clusters per host and namespace, escaped labels', () => {
    expect(renderDiagram(dropped, names, 'DOT')).toBe(
      [
        'digraph path {',
        '  rankdir=LR;',
        '  node [shape=box];',
        '  subgraph cluster_host_1 {',
        '    label="compute-1";',
        '    h1 [label="vm \\"one\\""];',
        '    h2 [label="br-int\\nVLAN 1"];',
        '    h3 [label="br-tun\\ntunnel 0x39"];',
        '  }',
        '  h4 [label="vxlan 0x39\\ntunnel 0x39", shape=ellipse];',
        '  subgraph cluster_host_2 {',
        '    label="network \\"1\\"";',
        '    h5 [label="br-int\\nVLAN 2"];',
        '    subgraph cluster_host_2_ns_1 {',
        '      label="qrouter-dddd";',
        '      h6 [label="qr-1\\nVLAN 2"];',
        '      h7 [label="qrouter-dddd"];',
        '    }',
        '  }',
        '  h1 -> h2;',
        '  h2 -> h3;',
        '  h3 -> h4;',
        '  h4 -> h5;',
        '  h5 -> h6;',
        '  h6 -> h7;',
        '  verdict [label="DROPPED: NO_ROUTE", shape=octagon];',
        '  h7 -> verdict;',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('groups a host seen twice in one subgraph and falls back to the host id', () => {
    const back = [hop(1, 'h1', 'a', 'VNIC'), hop(2, null, 'x', 'OVERLAY'), hop(3, 'h1', 'b', 'VNIC'), hop(4, 'h9', 'c', 'VNIC')];
    const out = renderDiagram(delivered(back), names, 'MERMAID');
    expect(out).toContain('  subgraph host_1["compute-1"]\n    h1["a"]\n    h3["b"]\n  end\n  h2(["x"])\n  subgraph host_2["h9"]');
    expect(out).toBe(renderDiagram(delivered(back), names, 'MERMAID'));
  });

  it('renders an empty path, without a verdict node', () => {
    expect(renderDiagram(delivered([]), names, 'MERMAID')).toBe('flowchart LR\n');
    expect(renderDiagram(delivered([]), names, 'DOT')).toBe('digraph path {\n  rankdir=LR;\n  node [shape=box];\n}\n');
  });
});

describe('renderDiagram of a traced path', () => {
  const w = workedExample();
  w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
  w.cloud.vm('test3', w.compute2, w.subnet2, '10.0.2.5', [w.web]);
  const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test3' }, PING);
  const hostNames = new Map(w.cloud.topology.hosts.map((h) => [h.id, h.name]));
  const ns = routerNamespace(w.router1.id);

  it('draws the router namespace inside network-1 in Mermaid, one edge per step', () => {
    const out = renderDiagram(r, hostNames, 'MERMAID');
    const lines = out.trimEnd().split('\n');
    expect(lines.filter((l) => l.trim().startsWith('subgraph ')).map((l) => l.trim())).toEqual([
      'subgraph host_1["compute-1"]', 'subgraph host_2["network-1"]', `subgraph host_2_ns_1["${ns}"]`, 'subgraph host_3["compute-2"]',
    ]);
    expect(lines.filter((l) => l.includes(' --> '))).toHaveLength(r.hops.length);
    expect(lines.slice(-2)).toEqual(['  verdict{{"DELIVERED"}}', `  h${r.hops.length} --> verdict`]);
    expect(out).toContain('  h11(["vxlan 0x39<br/>tunnel 0x39"])\n');
    expect(out).toContain(`      h18["${ns}"]\n`);
  });

  it('draws the same clusters in DOT', () => {
    const out = renderDiagram(r, hostNames, 'DOT');
    expect(out.match(/subgraph cluster_\w+ \{/g)).toEqual([
      'subgraph cluster_host_1 {', 'subgraph cluster_host_2 {', 'subgraph cluster_host_2_ns_1 {', 'subgraph cluster_host_3 {',
    ]);
    expect(out).toContain(`      label="${ns}";\n`);
    expect(out.match(/ -> /g)).toHaveLength(r.hops.length);
    expect(out).toContain(`  verdict [label="DELIVERED", shape=octagon];\n  h${r.hops.length} -> verdict;\n}`);
  });
});
