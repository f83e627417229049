// A synthetic cloud as one Neutron API document, deterministic from a seed:
// network nodes (OVS, L3, DHCP agents) and compute hosts, projects with a
// default security group (and every fourth an SSH group), vxlan networks of
// one subnet with a DHCP port, a router per project with a gateway on one
// flat external network and an interface on each of the project's networks,
// instances with their VM ports, floating IPs on every tenth instance, and
// unbound spare ports for the bind benchmarks. Project 0 holds the what-if
// instances; projects 1 and 2 hold the instances the path questions use.
import * as neutron from './neutron.js';
import { Random } from './random.js';

export interface CloudSize {
  /** Hosts in all, network nodes included. */
  hosts: number;
  networkNodes: number;
  projects: number;
  /** Tenant networks (the external network comes on top). */
  networks: number;
  /** VM ports (DHCP, router, floating IP and spare ports come on top). */
  ports: number;
  instances: number;
  /** One per project, for the first `routers` projects. */
  routers: number;
  /** Unbound ports for the bind benchmarks. */
  sparePorts: number;
  /** Instances of project 0, the what-if project. */
  whatIfInstances: number;
}

export const DEFAULT_SIZE: CloudSize = {
  hosts: 1000,
  networkNodes: 10,
  projects: 2000,
  networks: 10_000,
  ports: 100_000,
  instances: 50_000,
  routers: 2000,
  sparePorts: 0,
  whatIfInstances: 50,
};

/** The default cloud scaled to `ports` VM ports, every count in proportion. */
export function sizeFor(ports: number, base: CloudSize = DEFAULT_SIZE): CloudSize {
  const f = ports / base.ports;
  const scale = (n: number, min: number) => Math.max(min, Math.round(n * f));
  const projects = scale(base.projects, 3);
  // Networks per project and ports per instance stay those of the base.
  return {
    ...base,
    hosts: scale(base.hosts, 6),
    networkNodes: scale(base.networkNodes, 2),
    projects,
    networks: projects * Math.round(base.networks / base.projects),
    ports,
    instances: Math.round(ports / (base.ports / base.instances)),
    routers: Math.min(projects, scale(base.routers, 3)),
  };
}

export interface EndpointInput {
  instance?: string;
  ipAddress?: string;
}

export interface PathCase {
  from: EndpointInput;
  to: EndpointInput;
  flow: { protocol: 'ANY' | 'TCP'; destinationPort?: number };
}

export type PathKind = 'sameHost' | 'crossHost' | 'crossNetwork' | 'floatingIp';

export interface SyntheticCloud {
  size: CloudSize;
  document: Record<string, Record<string, unknown>[]>;
  /** Ports of the document, of every kind. */
  portCount: number;
  paths: Record<PathKind, PathCase>;
  whatIf: { projectId: string; hostName: string };
  /** Spare ports with the compute host each is to be bound to: no VM port of its network is on that host. */
  spares: { portId: string; hostName: string }[];
}

const ipv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const TENANT_BASE = 10 << 24;
const EXTERNAL_BASE = ((172 << 24) | (16 << 16)) >>> 0;
const TUNNEL_BASE = ((198 << 24) | (18 << 16)) >>> 0;
/** First address handed to ports in a tenant subnet (.1 is the router, .2 DHCP). */
const FIRST_PORT_ADDRESS = 10;
const LAST_ADDRESS = 254;
/** Consecutive spare ports go to the same host in pairs, so that concurrent binds contend for its lock. */
const SPARES_PER_HOST = 2;

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`cloud size: ${message}`);
}

/** Throws when the sizes cannot hold the cloud's layout (see the checks). */
export function checkSize(s: CloudSize): void {
  check(s.networkNodes >= 1 && s.hosts - s.networkNodes >= 2, 'needs a network node and two compute hosts');
  check(s.networks % s.projects === 0, `networks (${s.networks}) must be a multiple of projects (${s.projects})`);
  check(s.networks <= 65_536, 'at most 65,536 networks (one 10.x.y.0/24 each)');
  check(s.ports % s.instances === 0, `ports (${s.ports}) must be a multiple of instances (${s.instances})`);
  check(s.projects >= 3 && s.routers >= 3 && s.routers <= s.projects, 'needs 3 to `projects` routers (projects 0-2 have one)');
  const perInstance = s.ports / s.instances;
  const perProject = s.networks / s.projects;
  check(2 * perInstance <= perProject, `${perProject} networks per project cannot hold two instances of ${perInstance} ports on disjoint networks`);
  const pathInstances = Math.floor((s.instances - s.whatIfInstances) / (s.projects - 1));
  check(pathInstances >= 2 * perProject + 1, `project 1 gets ${pathInstances} instances; the path questions need ${2 * perProject + 1}`);
}

export function generateCloud(size: CloudSize, seed: number): SyntheticCloud {
  checkSize(size);
  const rng = new Random(seed);
  const doc = { agents: [], networks: [], subnets: [], security_groups: [], servers: [], routers: [], ports: [], floatingips: [] } as SyntheticCloud['document'];
  let macCounter = rng.below(1 << 20);
  const mac = () => {
    const n = macCounter++ & 0xffffff;
    return `fa:16:3e:${((n >>> 16) & 255).toString(16).padStart(2, '0')}:${((n >>> 8) & 255).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`;
  };

  // Hosts: network-01.. run the L3 and DHCP agents, compute-0001.. the VMs.
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const networkNodes = Array.from({ length: size.networkNodes }, (_, i) => `network-${pad(i + 1, 2)}`);
  const computes = Array.from({ length: size.hosts - size.networkNodes }, (_, i) => `compute-${pad(i + 1, 4)}`);

  const adminProject = rng.hex(32);
  const projects = Array.from({ length: size.projects }, () => rng.hex(32));

  // The external network and its address space: router gateways and floating IPs.
  const external = { networkId: rng.uuid(), subnetId: rng.uuid(), next: FIRST_PORT_ADDRESS };
  doc.networks.push(neutron.network({ id: external.networkId, name: 'public', projectId: adminProject, subnetId: external.subnetId, segmentationId: null, external: true }));
  doc.subnets.push(
    neutron.subnet({
      id: external.subnetId, name: 'public-subnet', networkId: external.networkId, projectId: adminProject, cidr: '172.16.0.0/12',
      gatewayIp: ipv4(EXTERNAL_BASE + 1), poolStart: ipv4(EXTERNAL_BASE + FIRST_PORT_ADDRESS), poolEnd: ipv4(EXTERNAL_BASE + 0xfffff - 1), enableDhcp: false,
    }),
  );
  const externalIp = () => ipv4(EXTERNAL_BASE + external.next++);

  // Security groups: default (egress anywhere, ingress from members) and, every fourth project, SSH from anywhere.
  const defaultGroup: string[] = [];
  const sshGroup: (string | null)[] = [];
  projects.forEach((projectId, p) => {
    const id = rng.uuid();
    defaultGroup.push(id);
    doc.security_groups.push(
      neutron.securityGroup(id, 'default', projectId, [
        { id: rng.uuid(), direction: 'egress', ethertype: 'IPv4' },
        { id: rng.uuid(), direction: 'egress', ethertype: 'IPv6' },
        { id: rng.uuid(), direction: 'ingress', ethertype: 'IPv4', remoteGroupId: id },
        { id: rng.uuid(), direction: 'ingress', ethertype: 'IPv6', remoteGroupId: id },
      ]),
    );
    if (p % 4 !== 2) {
      sshGroup.push(null);
      return;
    }
    const ssh = rng.uuid();
    sshGroup.push(ssh);
    doc.security_groups.push(
      neutron.securityGroup(ssh, 'ssh', projectId, [
        { id: rng.uuid(), direction: 'egress', ethertype: 'IPv4' },
        { id: rng.uuid(), direction: 'egress', ethertype: 'IPv6' },
        { id: rng.uuid(), direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port: 22, remoteIpPrefix: '0.0.0.0/0' },
      ]),
    );
  });

  // Tenant networks: network i belongs to project i mod projects, with 10.(i>>8).(i&255).0/24 and a DHCP port.
  interface Net {
    p: number;
    id: string;
    name: string;
    subnetId: string;
    projectId: string;
    base: number;
    next: number;
  }
  const nets: Net[] = [];
  const netsOf: Net[][] = projects.map(() => []);
  const dhcpNetworks = new Map<string, string[]>(networkNodes.map((h) => [h, []]));
  for (let i = 0; i < size.networks; i++) {
    const p = i % size.projects;
    const net: Net = { p, id: rng.uuid(), name: `net-${p}-${netsOf[p].length}`, subnetId: rng.uuid(), projectId: projects[p], base: TENANT_BASE + (i << 8), next: FIRST_PORT_ADDRESS };
    nets.push(net);
    netsOf[p].push(net);
    doc.networks.push(neutron.network({ id: net.id, name: net.name, projectId: net.projectId, subnetId: net.subnetId, segmentationId: i + 1, external: false }));
    doc.subnets.push(
      neutron.subnet({
        id: net.subnetId, name: `${net.name}-subnet`, networkId: net.id, projectId: net.projectId, cidr: `${ipv4(net.base)}/24`,
        gatewayIp: ipv4(net.base + 1), poolStart: ipv4(net.base + 2), poolEnd: ipv4(net.base + LAST_ADDRESS), enableDhcp: true,
      }),
    );
    const dhcpHost = networkNodes[i % networkNodes.length];
    dhcpNetworks.get(dhcpHost)!.push(net.id);
    doc.ports.push(neutron.dhcpPort(rng.uuid(), mac(), net.id, net.projectId, net.subnetId, ipv4(net.base + 2), dhcpHost));
  }
  const nextIp = (net: Net) => {
    check(net.next <= LAST_ADDRESS, `network ${net.name} ran out of addresses`);
    return ipv4(net.base + net.next++);
  };

  // Routers: project r's router on network node r mod N, with its gateway and one interface per project network.
  const routerOf: (string | null)[] = projects.map(() => null);
  const l3Routers = new Map<string, string[]>(networkNodes.map((h) => [h, []]));
  for (let r = 0; r < size.routers; r++) {
    const id = rng.uuid();
    const host = networkNodes[r % networkNodes.length];
    const gatewayIp = externalIp();
    routerOf[r] = id;
    l3Routers.get(host)!.push(id);
    doc.routers.push(neutron.router(id, `router-${r}`, projects[r], external.networkId, external.subnetId, gatewayIp));
    doc.ports.push(
      neutron.port({
        id: rng.uuid(), networkId: external.networkId, projectId: '', macAddress: mac(), deviceOwner: 'network:router_gateway', deviceId: id,
        fixedIps: [{ subnet_id: external.subnetId, ip_address: gatewayIp }], hostName: host, securityGroups: [], portSecurity: false,
      }),
    );
    for (const net of netsOf[r]) {
      doc.ports.push(
        neutron.port({
          id: rng.uuid(), networkId: net.id, projectId: net.projectId, macAddress: mac(), deviceOwner: 'network:router_interface', deviceId: id,
          fixedIps: [{ subnet_id: net.subnetId, ip_address: ipv4(net.base + 1) }], hostName: host, securityGroups: [], portSecurity: false,
        }),
      );
    }
  }

  // Instances: project 0 takes the what-if instances, the others share the rest in turn.
  // Port m of a project's instance k is on the project's network (k + m) mod (networks per project).
  const perInstance = size.ports / size.instances;
  const perProject = size.networks / size.projects;
  const count = projects.map(() => 0);
  const hostOf = new Map<string, string>();
  const fipOf = new Map<string, string>();
  const bound = new Set<string>();
  for (let j = 0; j < size.instances; j++) {
    const p = j < size.whatIfInstances ? 0 : 1 + ((j - size.whatIfInstances) % (size.projects - 1));
    const k = count[p]++;
    const name = `vm-${p}-${k}`;
    let host = computes[rng.below(computes.length)];
    // The path questions: vm-1-0 shares a host with vm-1-<perProject> and not with vm-1-<2 perProject>.
    if (p === 1 && k === perProject) host = hostOf.get('vm-1-0')!;
    if (p === 1 && k === 2 * perProject && host === hostOf.get('vm-1-0')) host = computes[(computes.indexOf(host) + 1) % computes.length];
    hostOf.set(name, host);
    const id = rng.uuid();
    const groups = sshGroup[p] ? [defaultGroup[p], sshGroup[p]!] : [defaultGroup[p]];
    const addresses: [string, string, string][] = [];
    for (let m = 0; m < perInstance; m++) {
      const net = netsOf[p][(k + m) % perProject];
      const portId = rng.uuid();
      const macAddress = mac();
      const ip = nextIp(net);
      bound.add(`${host}/${net.id}`);
      addresses.push([net.name, ip, macAddress]);
      doc.ports.push(
        neutron.port({
          id: portId, networkId: net.id, projectId: net.projectId, macAddress, deviceOwner: 'compute:nova', deviceId: id,
          fixedIps: [{ subnet_id: net.subnetId, ip_address: ip }], hostName: host, securityGroups: groups, portSecurity: true,
        }),
      );
      if (m === 0 && k % 10 === 0 && routerOf[p]) {
        const fipId = rng.uuid();
        const address = externalIp();
        fipOf.set(name, address);
        doc.floatingips.push(neutron.floatingIp({ id: fipId, projectId: net.projectId, address, networkId: external.networkId, portId, fixedIp: ip, routerId: routerOf[p]! }));
        doc.ports.push(
          neutron.port({
            id: rng.uuid(), networkId: external.networkId, projectId: '', macAddress: mac(), deviceOwner: 'network:floatingip', deviceId: fipId,
            fixedIps: [{ subnet_id: external.subnetId, ip_address: address }], hostName: '', securityGroups: [], portSecurity: false,
          }),
        );
      }
    }
    doc.servers.push(neutron.server({ id, name, projectId: projects[p], hostName: host, addresses }));
  }

  // Spare ports, unbound, each with a compute host where its network has no port yet: binding it allocates a VLAN.
  const spares: SyntheticCloud['spares'] = [];
  for (let s = 0; s < size.sparePorts; s++) {
    const host = computes[(Math.floor(s / SPARES_PER_HOST) * 7919) % computes.length];
    let net = nets[(s * 104_729) % nets.length];
    for (let k = 1; bound.has(`${host}/${net.id}`); k++) {
      check(k < nets.length, `host ${host} already has a port of every network; fewer spare ports or more hosts`);
      net = nets[(s * 104_729 + k) % nets.length];
    }
    bound.add(`${host}/${net.id}`);
    const portId = rng.uuid();
    spares.push({ portId, hostName: host });
    doc.ports.push(
      neutron.port({
        id: portId, name: `spare-${s}`, networkId: net.id, projectId: net.projectId, macAddress: mac(), deviceOwner: '', deviceId: '',
        fixedIps: [{ subnet_id: net.subnetId, ip_address: nextIp(net) }], hostName: '', securityGroups: [defaultGroup[net.p]], portSecurity: true,
      }),
    );
  }

  // Agents: an OVS agent on every host; L3, DHCP and metadata agents on the network nodes.
  [...networkNodes, ...computes].forEach((host, i) => {
    doc.agents.push(neutron.ovsAgent(rng.uuid(), host, ipv4(TUNNEL_BASE + i + 1), i < networkNodes.length));
  });
  for (const host of networkNodes) {
    doc.agents.push(neutron.l3Agent(rng.uuid(), host, l3Routers.get(host)!));
    doc.agents.push(neutron.dhcpAgent(rng.uuid(), host, dhcpNetworks.get(host)!));
    doc.agents.push(neutron.metadataAgent(rng.uuid(), host));
  }

  return {
    size,
    document: doc,
    portCount: doc.ports.length,
    paths: {
      sameHost: { from: { instance: 'vm-1-0' }, to: { instance: `vm-1-${perProject}` }, flow: { protocol: 'ANY' } },
      crossHost: { from: { instance: 'vm-1-0' }, to: { instance: `vm-1-${2 * perProject}` }, flow: { protocol: 'ANY' } },
      crossNetwork: { from: { instance: 'vm-1-0' }, to: { instance: `vm-1-${perInstance}` }, flow: { protocol: 'ANY' } },
      floatingIp: { from: { instance: 'vm-1-0' }, to: { ipAddress: fipOf.get('vm-2-0')! }, flow: { protocol: 'TCP', destinationPort: 22 } },
    },
    whatIf: { projectId: projects[0], hostName: hostOf.get('vm-0-0')! },
    spares,
  };
}
