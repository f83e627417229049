// What the topology view draws, loaded for one scope: a project, a host or
// a network (the last two for admins), and turned into Cytoscape elements.
import type { ElementDefinition } from 'cytoscape';
import { allNodes, gql } from './api';

export type Scope = { kind: 'project' | 'host' | 'network'; value: string };

interface SubnetRef { id: string; name: string; cidr: string; gatewayIp: string | null }
export interface NetworkInfo {
  id: string; name: string; projectId: string; networkType: string; segmentationId: number | null; external: boolean; shared: boolean; mtu: number;
  subnets: SubnetRef[];
  localVlans: { host: { name: string }; vlan: number }[] | null;
  dhcpHosts: { name: string }[] | null;
}
export interface PortInfo {
  id: string; name: string; macAddress: string; status: string; localVlan: number | null;
  fixedIps: { ipAddress: string; subnet: { id: string } }[];
  network: { id: string };
  host: { name: string } | null;
  devices: { tap: string | null; qbr: string | null; qvb: string | null; qvo: string | null };
  securityGroups: { name: string }[];
}
export interface InstanceInfo { id: string; name: string; projectId: string; status: string; host: { name: string } | null; ports: PortInfo[] }
export interface RouterInfo {
  id: string; name: string; projectId: string; namespace: string | null; host: { name: string } | null;
  interfaces: { ipAddress: string; device: string; subnet: { id: string; cidr: string; network: { id: string } } }[];
  gateway: { ipAddress: string; device: string; network: { id: string } } | null;
  routes: { destination: string; gateway: string | null; device: string }[];
}
export interface FloatingIpInfo { id: string; floatingIpAddress: string; fixedIpAddress: string | null; port: { id: string } | null; router: { name: string } | null }

export interface Topology { networks: NetworkInfo[]; routers: RouterInfo[]; instances: InstanceInfo[]; floatingIps: FloatingIpInfo[] }

const NETWORK = 'id name projectId networkType segmentationId external shared mtu subnets { id name cidr gatewayIp } localVlans { host { name } vlan } dhcpHosts { name }';
const PORT = 'id name macAddress status localVlan fixedIps { ipAddress subnet { id } } network { id } host { name } devices { tap qbr qvb qvo } securityGroups { name }';
const INSTANCE = `id name projectId status host { name } ports { ${PORT} }`;
const ROUTER = 'id name projectId namespace host { name } interfaces { ipAddress device subnet { id cidr network { id } } } gateway { ipAddress device network { id } } routes { destination gateway device }';
const FLOATING_IP = 'id floatingIpAddress fixedIpAddress port { id } router { name }';

const byId = <T extends { id: string }>(items: T[]) => [...new Map(items.map((i) => [i.id, i])).values()];

async function objectsOf(scope: Scope): Promise<{ routers: RouterInfo[]; instances: InstanceInfo[] }> {
  if (scope.kind === 'project') {
    const filter = { projectId: scope.value };
    const [routers, instances] = await Promise.all([
      allNodes<RouterInfo>('routers', ROUTER, filter, 'RouterFilter', 200),
      allNodes<InstanceInfo>('instances', INSTANCE, filter, 'InstanceFilter', 50),
    ]);
    return { routers, instances };
  }
  if (scope.kind === 'host') {
    const [instances, host] = await Promise.all([
      allNodes<InstanceInfo>('instances', INSTANCE, { hostName: scope.value }, 'InstanceFilter', 50),
      gql<{ host: { routers: RouterInfo[] } | null }>(`query($name: String!) { host(name: $name) { routers { ${ROUTER} } } }`, { name: scope.value }),
    ]);
    return { instances, routers: host.host?.routers ?? [] };
  }
  const ports = await allNodes<{ instance: InstanceInfo | null; router: RouterInfo | null }>('ports', `instance { ${INSTANCE} } router { ${ROUTER} }`, { networkId: scope.value }, 'PortFilter', 40);
  return {
    instances: byId(ports.flatMap((p) => (p.instance ? [p.instance] : []))),
    routers: byId(ports.flatMap((p) => (p.router ? [p.router] : []))),
  };
}

export async function loadTopology(scope: Scope): Promise<Topology> {
  const [{ routers, instances }, networks, floatingIps, externals] = await Promise.all([
    objectsOf(scope),
    allNodes<NetworkInfo>('networks', NETWORK, scope.kind === 'project' ? { projectId: scope.value } : null, 'NetworkFilter', 200),
    allNodes<FloatingIpInfo>('floatingIps', FLOATING_IP, null, 'FloatingIpFilter'),
    scope.kind === 'project' ? allNodes<NetworkInfo>('networks', NETWORK, { external: true }, 'NetworkFilter', 200) : Promise.resolve([]),
  ]);
  // The networks the scope's objects use, the scope's own, and the external networks its routers reach.
  const used = new Set<string>([
    ...instances.flatMap((i) => i.ports.map((p) => p.network.id)),
    ...routers.flatMap((r) => [...r.interfaces.map((i) => i.subnet.network.id), ...(r.gateway ? [r.gateway.network.id] : [])]),
  ]);
  if (scope.kind === 'network') used.add(scope.value);
  const all = byId([...networks, ...externals]);
  const shown = all.filter((n) => used.has(n.id) || (scope.kind === 'project' && n.projectId === scope.value));
  const portIds = new Set(instances.flatMap((i) => i.ports.map((p) => p.id)));
  return { networks: shown, routers, instances, floatingIps: floatingIps.filter((f) => f.port && portIds.has(f.port.id)) };
}

/**
 * One element per object; hosts become parent boxes when grouped. The
 * objects themselves stay out of the elements' data (Cytoscape copies data,
 * which made a 200-node graph take seconds to build), in a map by element id.
 */
export function elementsOf(topology: Topology, groupByHost: boolean): { elements: ElementDefinition[]; objects: Map<string, unknown> } {
  const elements: ElementDefinition[] = [];
  const objects = new Map<string, unknown>();
  const add = (id: string, kind: string, label: string, object: unknown, classes: string, parent: { parent?: string } = {}) => {
    objects.set(id, object);
    elements.push({ data: { id, kind, label, ...parent }, classes });
  };
  const hosts = new Set<string>();
  const inHost = (host: { name: string } | null): { parent?: string } => {
    if (!groupByHost || !host) return {};
    hosts.add(host.name);
    return { parent: `h:${host.name}` };
  };
  const edge = (source: string, target: string, label = '') => elements.push({ data: { id: `${source}~${target}`, source, target, label } });
  const subnets = new Set<string>();
  for (const n of topology.networks) {
    const segment = n.segmentationId === null ? n.networkType : `${n.networkType} ${n.segmentationId}`;
    add(`n:${n.id}`, 'network', `${n.name}\n${segment}`, n, n.external ? 'network external' : 'network');
    for (const s of n.subnets) {
      subnets.add(s.id);
      add(`s:${s.id}`, 'subnet', s.cidr, s, 'subnet');
      edge(`n:${n.id}`, `s:${s.id}`);
    }
  }
  for (const r of topology.routers) {
    add(`r:${r.id}`, 'router', `${r.name}${r.host ? `\n${r.host.name}` : ''}`, r, 'router', inHost(r.host));
    for (const i of r.interfaces) if (subnets.has(i.subnet.id)) edge(`r:${r.id}`, `s:${i.subnet.id}`, i.ipAddress);
    if (r.gateway && topology.networks.some((n) => n.id === r.gateway!.network.id)) edge(`r:${r.id}`, `n:${r.gateway.network.id}`, r.gateway.ipAddress);
  }
  for (const i of topology.instances) {
    add(`i:${i.id}`, 'instance', i.name, i, i.status === 'ACTIVE' ? 'instance' : 'instance down', inHost(i.host));
    for (const p of i.ports) {
      add(`p:${p.id}`, 'port', p.fixedIps.map((f) => f.ipAddress).join('\n'), p, 'port', inHost(i.host));
      edge(`i:${i.id}`, `p:${p.id}`);
      for (const f of p.fixedIps) if (subnets.has(f.subnet.id)) edge(`p:${p.id}`, `s:${f.subnet.id}`);
    }
  }
  for (const f of topology.floatingIps) {
    add(`f:${f.id}`, 'floatingIp', f.floatingIpAddress, f, 'fip');
    edge(`f:${f.id}`, `p:${f.port!.id}`, 'NAT');
  }
  for (const name of hosts) elements.unshift({ data: { id: `h:${name}`, kind: 'host', label: name }, classes: 'host' });
  return { elements, objects };
}
