// `path <from> <to> [--protocol tcp --port 22] [--diagram mermaid|dot]`: the hops as a table.
import { isIpAddress } from '../domain/addressing.js';
import { FLOW_PROTOCOLS } from '../domain/firewall/index.js';
import { CommandError, graphql, parseOptions, table } from './client.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An address is an ipAddress endpoint; `port:<id>` a port; anything else an instance name or id. */
export function endpoint(text: string): Record<string, string> {
  if (text.startsWith('port:')) return { portId: text.slice(5) };
  if (isIpAddress(text)) return { ipAddress: text };
  return { instance: text };
}

const QUERY = `query($from: EndpointInput!, $to: EndpointInput!, $flow: FlowInput, $format: DiagramFormat!, $diagram: Boolean!) {
  path(from: $from, to: $to, flow: $flow) {
    verdict dropReason explanation tunnelIds
    hops { seq host { name } namespace device kind vlan tunnelId action }
    diagram(format: $format) @include(if: $diagram)
  } }`;

interface PathAnswer {
  path: {
    verdict: string;
    dropReason: string | null;
    explanation: string;
    hops: { seq: number; host: { name: string } | null; namespace: string | null; device: string; kind: string; vlan: number | null; tunnelId: number | null; action: string }[];
    diagram?: string;
  };
}

export async function pathCommand(args: string[]): Promise<number> {
  const { positional, options } = parseOptions(args, ['protocol', 'port', 'diagram']);
  if (positional.length !== 2) throw new CommandError('usage: path <from> <to> [--protocol tcp|udp|icmp|sctp|gre|…|any] [--port N] [--diagram mermaid|dot]\n  an endpoint is an instance name or id, an IP address, or port:<port id>');
  const protocol = (options.protocol ?? (options.port ? 'tcp' : 'any')).toUpperCase().replace('-', '_');
  if (!(FLOW_PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new CommandError(`--protocol is one of ${FLOW_PROTOCOLS.map((p) => p.toLowerCase().replace('_', '-')).join(', ')}; not ${options.protocol}`);
  }
  const port = options.port === undefined ? null : Number(options.port);
  if (port !== null && !Number.isInteger(port)) throw new CommandError(`--port takes a number, not ${options.port}`);
  const diagram = options.diagram?.toUpperCase();
  if (diagram && diagram !== 'MERMAID' && diagram !== 'DOT') throw new CommandError('--diagram is mermaid or dot');
  const { path } = await graphql<PathAnswer>(QUERY, {
    from: endpoint(positional[0]),
    to: endpoint(positional[1]),
    flow: { protocol, destinationPort: port },
    format: diagram ?? 'MERMAID',
    diagram: Boolean(diagram),
  });
  if (path.diagram) {
    console.log(path.diagram);
    return exitCode(path.verdict);
  }
  console.log(
    table(
      ['#', 'host', 'namespace', 'device', 'kind', 'vlan', 'tunnel', 'action'],
      path.hops.map((h) => [h.seq, h.host?.name ?? '-', h.namespace ?? '', h.device, h.kind, h.vlan, h.tunnelId === null ? null : `0x${h.tunnelId.toString(16)}`, h.action]),
    ),
  );
  console.log(`\n${path.verdict}${path.dropReason ? ` (${path.dropReason})` : ''}: ${path.explanation}`);
  return exitCode(path.verdict);
}

/** 0 when the packet got where the model can follow it (delivered, or out of the cloud), 2 when dropped. */
const exitCode = (verdict: string) => (verdict === 'DROPPED' ? 2 : 0);
