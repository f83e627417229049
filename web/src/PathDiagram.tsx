// A traced path drawn as SVG: a column per host and namespace, a row per
// hop, the tags on each link, the step's action beside it (security group
// decisions in green or red, routing and NAT in amber), and the verdict
// where the packet stops.
import { forwardRef } from 'react';
import { lanesOf, laneOf, stepKind, tagsAt, wrap, type PathHop } from './pathLanes';

export interface TracedPath {
  verdict: 'DELIVERED' | 'EXITED' | 'DROPPED';
  dropReason: string | null;
  explanation: string;
  hops: PathHop[];
}

const LANE_W = 180;
const BOX_W = 160;
const BOX_H = 34;
const HEADER_H = 48;
const ACTION_W = 500;
const LINE_H = 13;
/** Width of one character of the 11px monospace font, to wrap text within the drawing. */
const CHAR_W = 6.7;
const ACTION_CHARS = 66;
const COLOURS = { allowed: '#15803d', denied: '#b91c1c', routing: '#b45309', plain: '#334155' };
const VERDICT_COLOURS = { DELIVERED: '#15803d', EXITED: '#1d4ed8', DROPPED: '#b91c1c' };

export const PathDiagram = forwardRef<SVGSVGElement, { path: TracedPath }>(function PathDiagram({ path }, ref) {
  const lanes = lanesOf(path.hops);
  const column = new Map(lanes.map((l, i) => [l.key, i]));
  const rows: { hop: PathHop; y: number; lines: string[]; x: number }[] = [];
  let y = HEADER_H + 10;
  for (const hop of path.hops) {
    const lines = wrap(hop.action, ACTION_CHARS);
    rows.push({ hop, y, lines, x: column.get(laneOf(hop).key)! * LANE_W + 10 });
    y += Math.max(BOX_H + 22, lines.length * LINE_H + 22);
  }
  const last = rows[rows.length - 1];
  const verdictText = path.verdict === 'DROPPED' ? `DROPPED: ${path.dropReason}` : path.verdict;
  const actionX = lanes.length * LANE_W + 20;
  const width = actionX + ACTION_W;
  const reason = wrap(path.explanation, Math.floor((width - 20) / CHAR_W));
  const verdictY = y;
  const height = verdictY + 50 + reason.length * LINE_H;
  return (
    <svg ref={ref} xmlns="http://www.w3.org/2000/svg" width={width} height={height} viewBox={`0 0 ${width} ${height}`} data-verdict={path.verdict} fontFamily="ui-monospace, monospace" fontSize="11">
      <rect width={width} height={height} fill="#ffffff" />
      {lanes.map((lane, i) => (
        <g key={lane.key} className="lane">
          <rect x={i * LANE_W + 2} y={2} width={LANE_W - 4} height={verdictY + 30} rx={6} fill={lane.key === 'outside' ? '#f8fafc' : lane.namespace ? '#fefce8' : '#eff6ff'} stroke="#cbd5e1" />
          <text x={i * LANE_W + 10} y={20} fontWeight="bold">{lane.host}</text>
          <text x={i * LANE_W + 10} y={36} fill="#475569">{lane.namespace ?? (lane.key === 'outside' ? '' : 'root namespace')}</text>
        </g>
      ))}
      {rows.slice(1).map((row, i) => {
        const prev = rows[i];
        const tags = tagsAt(row.hop);
        const x1 = prev.x + BOX_W / 2;
        const x2 = row.x + BOX_W / 2;
        return (
          <g key={`link-${row.hop.seq}`} className="link">
            <line x1={x1} y1={prev.y + BOX_H} x2={x2} y2={row.y} stroke="#64748b" strokeWidth={1.5} />
            {tags && <text x={(x1 + x2) / 2 + 6} y={(prev.y + BOX_H + row.y) / 2 + 4} fill="#7c3aed" fontWeight="bold">{tags}</text>}
          </g>
        );
      })}
      {rows.map(({ hop, y: top, lines, x }) => {
        const kind = stepKind(hop);
        return (
          <g key={hop.seq} className={`hop ${kind}`} data-seq={hop.seq}>
            <rect x={x} y={top} width={BOX_W} height={BOX_H} rx={4} fill="#fff" stroke={COLOURS[kind]} strokeWidth={kind === 'plain' ? 1 : 2} />
            <text x={x + 6} y={top + 14} fontWeight="bold">{hop.device}</text>
            <text x={x + 6} y={top + 28} fill="#64748b" fontSize="9">{hop.kind}</text>
            <text x={actionX} y={top + 12} fill={COLOURS[kind]}>
              {lines.map((line, i) => <tspan key={i} x={actionX} dy={i === 0 ? 0 : LINE_H}>{i === 0 ? `${hop.seq}. ${line}` : `   ${line}`}</tspan>)}
            </text>
          </g>
        );
      })}
      {last && <line x1={last.x + BOX_W / 2} y1={last.y + BOX_H} x2={last.x + BOX_W / 2} y2={verdictY} stroke={VERDICT_COLOURS[path.verdict]} strokeWidth={2} />}
      <g className="verdict">
        <rect x={last ? last.x : 10} y={verdictY} width={Math.max(BOX_W, verdictText.length * 7 + 16)} height={26} rx={13} fill={VERDICT_COLOURS[path.verdict]} />
        <text x={(last ? last.x : 10) + 8} y={verdictY + 17} fill="#fff" fontWeight="bold">{verdictText}</text>
        <text x={10} y={verdictY + 44} fill="#0f172a">
          {reason.map((line, i) => <tspan key={i} x={10} dy={i === 0 ? 0 : LINE_H}>{line}</tspan>)}
        </text>
      </g>
    </svg>
  );
});
