// The topology's layout: layers by distance from a root (the external
// network, then routers, subnets, networks and ports, then instances and
// floating IPs). In a layer each kind of object has its own rows of at most
// ROW nodes, so that 90 ports make five readable rows instead of one line
// too long to read, in the order the breadth-first walk met them (a port
// beside its subnet's other ports, an instance under its port). Separate
// parts of the graph stand side by side, each from its own root; when hosts
// are drawn as boxes, each box has columns of its own instead.
import type { Core, NodeSingular, Position } from 'cytoscape';

const ROW = 20;
const DX = 75;
const DY = 95;
const WRAPPED_DY = 55;
/** Row order within a layer. */
const KINDS = ['network', 'subnet', 'router', 'port', 'instance', 'floatingIp'];

export function layeredPositions(cy: Core, roots: NodeSingular[], hostBoxes: boolean): Record<string, Position> {
  const depth = new Map<string, number>();
  const part = new Map<string, number>();
  const met: NodeSingular[] = [];
  const queue = [...roots];
  roots.forEach((root, i) => {
    depth.set(root.id(), 0);
    part.set(root.id(), i);
  });
  while (queue.length > 0) {
    const node = queue.shift()!;
    met.push(node);
    node.neighborhood('node').forEach((next) => {
      if (depth.has(next.id())) return;
      depth.set(next.id(), depth.get(node.id())! + 1);
      part.set(next.id(), part.get(node.id())!);
      queue.push(next);
    });
  }
  const layers: NodeSingular[][] = [];
  for (const node of met) (layers[depth.get(node.id())!] ??= []).push(node);
  const groups = layers.flatMap((layer) => KINDS.map((kind) => layer.filter((node) => node.data('kind') === kind)).filter((group) => group.length > 0));

  // Columns of their own: per host box (rows shared by all), or per part (each part its own rows).
  const columnsOf = (node: NodeSingular) => (hostBoxes ? (node.parent().nonempty() ? node.parent().first().id() : '') : `part ${part.get(node.id())}`);
  const rowsOf = (node: NodeSingular) => (hostBoxes ? '' : columnsOf(node));
  const widths = new Map<string, number>();
  for (const group of groups) {
    const counts = new Map<string, number>();
    for (const node of group) counts.set(columnsOf(node), (counts.get(columnsOf(node)) ?? 0) + 1);
    for (const [key, count] of counts) widths.set(key, Math.max(widths.get(key) ?? 0, Math.min(count, ROW)));
  }
  const offsets = new Map<string, number>();
  let column = 0;
  for (const key of widths.keys()) {
    offsets.set(key, column);
    column += widths.get(key)! + 1;
  }
  const positions: Record<string, Position> = {};
  const ys = new Map<string, number>();
  for (const group of groups) {
    const placed = new Map<string, number>();
    const rows = new Map<string, number>();
    for (const node of group) {
      const key = columnsOf(node);
      const i = placed.get(key) ?? 0;
      placed.set(key, i + 1);
      rows.set(rowsOf(node), Math.max(rows.get(rowsOf(node)) ?? 1, Math.floor(i / ROW) + 1));
      positions[node.id()] = { x: (offsets.get(key)! + (i % ROW)) * DX, y: (ys.get(rowsOf(node)) ?? 0) + Math.floor(i / ROW) * WRAPPED_DY };
    }
    for (const [lane, count] of rows) ys.set(lane, (ys.get(lane) ?? 0) + (count - 1) * WRAPPED_DY + DY);
  }
  return positions;
}
