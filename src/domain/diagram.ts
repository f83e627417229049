// Renders a traced path as a diagram: one box per host, nested boxes for
// namespaces, one node per hop (ids h1, h2, … in hop order) and one edge per
// step. Hops outside the cloud (overlay, physical network, external gateway)
// stand on their own, drawn with a rounded shape; the verdict ends the path
// where it stops, with the drop reason when it was dropped.
import { hexId } from './naming.js';
import type { Hop, PathResult } from './path/types.js';

export type DiagramFormat = 'MERMAID' | 'DOT';

/** What a diagram draws of a path. */
export type DiagramPath = Pick<PathResult, 'hops' | 'verdict' | 'dropReason'>;

/** The last node's text: DELIVERED, EXITED: …, or DROPPED: <reason>. */
function verdictText(path: DiagramPath): string {
  if (path.verdict === 'DROPPED') return `DROPPED: ${path.dropReason ?? 'unknown'}`;
  return path.verdict === 'EXITED' ? 'EXITED: left the modelled cloud' : 'DELIVERED';
}

interface NodeRef {
  id: string;
  hop: Hop;
}

interface HostGroup {
  kind: 'HOST';
  key: string;
  title: string;
  root: NodeRef[];
  namespaces: { key: string; title: string; nodes: NodeRef[] }[];
}

type Block = HostGroup | { kind: 'OUTSIDE'; node: NodeRef };

/** Hosts and outside hops in order of first appearance; namespaces by first appearance within their host. */
function blocks(hops: Hop[], hostNames: Map<string, string>): Block[] {
  const result: Block[] = [];
  const groups = new Map<string, HostGroup>();
  hops.forEach((hop, i) => {
    const node = { id: `h${i + 1}`, hop };
    if (hop.hostId === null) {
      result.push({ kind: 'OUTSIDE', node });
      return;
    }
    let group = groups.get(hop.hostId);
    if (!group) {
      group = { kind: 'HOST', key: `host_${groups.size + 1}`, title: hostNames.get(hop.hostId) ?? hop.hostId, root: [], namespaces: [] };
      groups.set(hop.hostId, group);
      result.push(group);
    }
    if (hop.namespace === null) {
      group.root.push(node);
      return;
    }
    let ns = group.namespaces.find((n) => n.title === hop.namespace);
    if (!ns) {
      ns = { key: `${group.key}_ns_${group.namespaces.length + 1}`, title: hop.namespace, nodes: [] };
      group.namespaces.push(ns);
    }
    ns.nodes.push(node);
  });
  return result;
}

/** The second label line: what tags the packet carries there. */
function tagLine(hop: Hop): string | null {
  const parts: string[] = [];
  if (hop.vlan !== null) parts.push(`VLAN ${hop.vlan}`);
  if (hop.tunnelId !== null) parts.push(`tunnel ${hexId(hop.tunnelId)}`);
  return parts.length ? parts.join(', ') : null;
}

// Mermaid reads entity codes inside quoted labels.
const mermaidText = (text: string) => text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
const dotText = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

function mermaid(path: DiagramPath, hostNames: Map<string, string>): string {
  const { hops } = path;
  const lines = ['flowchart LR'];
  const node = ({ id, hop }: NodeRef, indent: string) => {
    const tag = tagLine(hop);
    const label = mermaidText(hop.device) + (tag ? `<br/>${mermaidText(tag)}` : '');
    lines.push(hop.hostId === null ? `${indent}${id}(["${label}"])` : `${indent}${id}["${label}"]`);
  };
  for (const block of blocks(hops, hostNames)) {
    if (block.kind === 'OUTSIDE') {
      node(block.node, '  ');
      continue;
    }
    lines.push(`  subgraph ${block.key}["${mermaidText(block.title)}"]`);
    for (const n of block.root) node(n, '    ');
    for (const ns of block.namespaces) {
      lines.push(`    subgraph ${ns.key}["${mermaidText(ns.title)}"]`);
      for (const n of ns.nodes) node(n, '      ');
      lines.push('    end');
    }
    lines.push('  end');
  }
  for (let i = 1; i < hops.length; i++) lines.push(`  h${i} --> h${i + 1}`);
  if (hops.length > 0) lines.push(`  verdict{{"${mermaidText(verdictText(path))}"}}`, `  h${hops.length} --> verdict`);
  return `${lines.join('\n')}\n`;
}

function dot(path: DiagramPath, hostNames: Map<string, string>): string {
  const { hops } = path;
  const lines = ['digraph path {', '  rankdir=LR;', '  node [shape=box];'];
  const node = ({ id, hop }: NodeRef, indent: string) => {
    const tag = tagLine(hop);
    const label = dotText(hop.device) + (tag ? `\\n${dotText(tag)}` : '');
    lines.push(`${indent}${id} [label="${label}"${hop.hostId === null ? ', shape=ellipse' : ''}];`);
  };
  for (const block of blocks(hops, hostNames)) {
    if (block.kind === 'OUTSIDE') {
      node(block.node, '  ');
      continue;
    }
    lines.push(`  subgraph cluster_${block.key} {`, `    label="${dotText(block.title)}";`);
    for (const n of block.root) node(n, '    ');
    for (const ns of block.namespaces) {
      lines.push(`    subgraph cluster_${ns.key} {`, `      label="${dotText(ns.title)}";`);
      for (const n of ns.nodes) node(n, '      ');
      lines.push('    }');
    }
    lines.push('  }');
  }
  for (let i = 1; i < hops.length; i++) lines.push(`  h${i} -> h${i + 1};`);
  if (hops.length > 0) lines.push(`  verdict [label="${dotText(verdictText(path))}", shape=octagon];`, `  h${hops.length} -> verdict;`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export function renderDiagram(path: DiagramPath, hostNames: Map<string, string>, format: DiagramFormat): string {
  return format === 'DOT' ? dot(path, hostNames) : mermaid(path, hostNames);
}
