// Checks across objects, on the cloud the import leads to: every reference
// resolves, nothing is held twice (ids, segments, MACs, addresses), every
// address lies in its subnet. Problems of rows the document does not name
// (the database's, in MERGE mode) are reported at the document's root. An
// object the document lists but that could not be read is taken as known,
// so that its own problem is not repeated at every reference to it.
import { cidrOf, cidrsOverlap, isAssignable, type Cidr } from '../addressing.js';
import { DEVICE_OWNER } from '../model.js';
import type { Hosting } from './agents.js';
import { groupBy } from './group.js';
import type { Issues, IssueCode } from './issues.js';
import { KINDS, type Cloud, type Kind, type PortRow } from './model.js';
import type { Origins } from './read.js';

const LABEL: Record<Kind, string> = {
  hosts: 'host',
  networks: 'network',
  subnets: 'subnet',
  securityGroups: 'security group',
  rules: 'security group rule',
  instances: 'server',
  routers: 'router',
  ports: 'port',
  floatingIps: 'floating IP',
};

const SOURCE = 'of the document or the database';

type Report = (code: IssueCode, kind: Kind, id: string, field: string[], message: string) => void;
type Known = (kind: Kind, id: string) => boolean;

export function validateCloud(cloud: Cloud, origins: Origins, hosting: Hosting, issues: Issues): void {
  const report: Report = (code, kind, id, field, message) => {
    const origin = origins[kind].get(id);
    issues.add(code, origin ? [...origin, ...field] : [], `${LABEL[kind]} ${id}: ${message}`);
  };
  const known: Known = (kind, id) => cloud[kind].has(id) || origins[kind].has(id);
  uniqueIds(cloud, report);
  segments(cloud, report);
  subnets(cloud, known, report);
  rules(cloud, known, report);
  routers(cloud, known, report);
  ports(cloud, known, report);
  floatingIps(cloud, known, report);
  hostingLists(known, hosting, issues);
}

/** node(id:) finds any object by id: no two objects of any kinds share one. */
function uniqueIds(cloud: Cloud, report: Report): void {
  const kindOf = new Map<string, Kind>();
  for (const kind of KINDS) {
    for (const id of cloud[kind].keys()) {
      const other = kindOf.get(id);
      if (other) report('CONFLICT', kind, id, ['id'], `the id is also the id of ${LABEL[other]} ${id}`);
      else kindOf.set(id, kind);
    }
  }
}

/** Two networks never share a segment; a physnet holds one flat network. */
function segments(cloud: Cloud, report: Report): void {
  const holder = new Map<string, string>();
  for (const net of cloud.networks.values()) {
    const key = `${net.networkType}/${net.physicalNetwork ?? ''}/${net.segmentationId ?? 0}`;
    const other = holder.get(key);
    if (!other) {
      holder.set(key, net.id);
      continue;
    }
    const segment = net.networkType === 'FLAT' ? `flat physical network ${net.physicalNetwork}` : `${net.networkType.toLowerCase()} segment ${net.segmentationId}${net.physicalNetwork ? ` on ${net.physicalNetwork}` : ''}`;
    report('CONFLICT', 'networks', net.id, [net.networkType === 'FLAT' ? 'provider:physical_network' : 'provider:segmentation_id'], `${segment} is already held by network ${other}`);
  }
}

function subnets(cloud: Cloud, known: Known, report: Report): void {
  for (const subnet of cloud.subnets.values()) {
    if (!known('networks', subnet.networkId)) report('NOT_FOUND', 'subnets', subnet.id, ['network_id'], `network_id ${subnet.networkId} is not a network ${SOURCE}`);
  }
  for (const group of groupBy(cloud.subnets.values(), (s) => s.networkId).values()) {
    group.forEach((subnet, i) => {
      const clash = group.slice(0, i).find((other) => cidrsOverlap(other.cidr, subnet.cidr));
      if (clash) report('CONFLICT', 'subnets', subnet.id, ['cidr'], `${subnet.cidr} overlaps ${clash.cidr} (subnet ${clash.id}) of network ${subnet.networkId}`);
    });
  }
}

function rules(cloud: Cloud, known: Known, report: Report): void {
  for (const rule of cloud.rules.values()) {
    if (!known('securityGroups', rule.securityGroupId)) {
      report('NOT_FOUND', 'rules', rule.id, ['security_group_id'], `security_group_id ${rule.securityGroupId} is not a security group ${SOURCE}`);
    }
    if (rule.remoteGroupId && !known('securityGroups', rule.remoteGroupId)) {
      report('NOT_FOUND', 'rules', rule.id, ['remote_group_id'], `remote_group_id ${rule.remoteGroupId} is not a security group ${SOURCE}`);
    }
  }
}

function routers(cloud: Cloud, known: Known, report: Report): void {
  for (const router of cloud.routers.values()) {
    if (!router.gatewayNetworkId) continue;
    const network = cloud.networks.get(router.gatewayNetworkId);
    const field = ['external_gateway_info', 'network_id'];
    if (!network) {
      if (!known('networks', router.gatewayNetworkId)) report('NOT_FOUND', 'routers', router.id, field, `gateway network ${router.gatewayNetworkId} is not a network ${SOURCE}`);
    } else if (!network.external) report('INVALID', 'routers', router.id, field, `gateway network ${network.id} is not external (router:external)`);
  }
}

function ports(cloud: Cloud, known: Known, report: Report): void {
  const macOwner = new Map<string, string>();
  const ipOwner = new Map<string, string>();
  const gatewayOf = new Map<string, string>();
  const cidrs = new Map<string, Cidr>();
  const cidrOfSubnet = (id: string) => {
    let cidr = cidrs.get(id);
    if (!cidr) cidrs.set(id, (cidr = cidrOf(cloud.subnets.get(id)!.cidr)));
    return cidr;
  };
  for (const port of cloud.ports.values()) {
    const problem: Problem = (code, field, message) => report(code, 'ports', port.id, field, message);
    if (!known('networks', port.networkId)) problem('NOT_FOUND', ['network_id'], `network_id ${port.networkId} is not a network ${SOURCE}`);
    if (port.hostId && !cloud.hosts.has(port.hostId)) problem('NOT_FOUND', ['binding:host_id'], `host ${port.hostId} is not a host ${SOURCE}`);
    const macKey = `${port.networkId}/${port.macAddress}`;
    const macHolder = macOwner.get(macKey);
    if (macHolder) problem('CONFLICT', ['mac_address'], `MAC ${port.macAddress} is already used by port ${macHolder} on network ${port.networkId}`);
    else macOwner.set(macKey, port.id);

    port.fixedIps.forEach((ip, i) => {
      const subnet = cloud.subnets.get(ip.subnetId);
      const field = ['fixed_ips', String(i)];
      if (!subnet) {
        if (!known('subnets', ip.subnetId)) problem('NOT_FOUND', [...field, 'subnet_id'], `subnet ${ip.subnetId} is not a subnet ${SOURCE}`);
        return;
      }
      if (subnet.networkId !== port.networkId) return problem('INVALID', [...field, 'subnet_id'], `subnet ${subnet.id} is on network ${subnet.networkId}, not on the port's network ${port.networkId}`);
      if (!isAssignable(cidrOfSubnet(subnet.id), ip.ipAddress)) return problem('INVALID', [...field, 'ip_address'], `${ip.ipAddress} is not an assignable address of subnet ${subnet.id} (${subnet.cidr})`);
      const ipKey = `${subnet.id}/${ip.ipAddress}`;
      const ipHolder = ipOwner.get(ipKey);
      if (ipHolder) problem('CONFLICT', [...field, 'ip_address'], `${ip.ipAddress} is already used by port ${ipHolder}`);
      else ipOwner.set(ipKey, port.id);
    });
    port.securityGroupIds.forEach((groupId, i) => {
      if (!known('securityGroups', groupId)) problem('NOT_FOUND', ['security_groups', String(i)], `security group ${groupId} is not a security group ${SOURCE}`);
    });
    routerPort(cloud, known, port, problem, gatewayOf);
  }
}

type Problem = (code: IssueCode, field: string[], message: string) => void;

/** A router port belongs to a known router; a gateway port is the router's only one, on its gateway network. */
function routerPort(cloud: Cloud, known: Known, port: PortRow, problem: Problem, gatewayOf: Map<string, string>): void {
  const owner = port.deviceOwner;
  if (owner !== DEVICE_OWNER.routerInterface && owner !== DEVICE_OWNER.routerGateway) return;
  const router = port.routerId ? cloud.routers.get(port.routerId) : undefined;
  if (!router) {
    if (!port.routerId || !known('routers', port.routerId)) problem('NOT_FOUND', ['device_id'], `device_id '${port.deviceId}' of this ${owner} port is not a router ${SOURCE}`);
    return;
  }
  if (port.fixedIps.length === 0) problem('INVALID', ['fixed_ips'], `a ${owner} port needs an address`);
  if (owner === DEVICE_OWNER.routerInterface) {
    if (cloud.networks.get(port.networkId)?.external) problem('INVALID', ['network_id'], `router interfaces are not on external networks (network ${port.networkId}); the gateway is`);
    return;
  }
  if (router.gatewayNetworkId !== port.networkId) {
    problem('INVALID', ['network_id'], `the gateway port of router ${router.id} is on network ${port.networkId}, but the router's external_gateway_info names ${router.gatewayNetworkId ?? 'no network'}`);
  }
  const other = gatewayOf.get(router.id);
  if (other) problem('CONFLICT', ['device_id'], `router ${router.id} already has gateway port ${other}`);
  else gatewayOf.set(router.id, port.id);
}

function floatingIps(cloud: Cloud, known: Known, report: Report): void {
  const addressOwner = new Map<string, string>();
  const portOwner = new Map<string, string>();
  const mappedBy = new Map<string, string>();
  for (const fip of cloud.floatingIps.values()) {
    const problem: Problem = (code, field, message) => report(code, 'floatingIps', fip.id, field, message);
    const network = cloud.networks.get(fip.floatingNetworkId);
    if (!network) {
      if (!known('networks', fip.floatingNetworkId)) problem('NOT_FOUND', ['floating_network_id'], `floating_network_id ${fip.floatingNetworkId} is not a network ${SOURCE}`);
    } else if (!network.external) problem('INVALID', ['floating_network_id'], `network ${network.id} is not external (router:external)`);
    const addressKey = `${fip.floatingNetworkId}/${fip.floatingIpAddress}`;
    const addressHolder = addressOwner.get(addressKey);
    if (addressHolder) problem('CONFLICT', ['floating_ip_address'], `${fip.floatingIpAddress} is already floating IP ${addressHolder}`);
    else addressOwner.set(addressKey, fip.id);

    const holder = cloud.ports.get(fip.floatingPortId);
    if (holder?.fixedIps.length === 0) {
      problem('INVALID', ['floating_ip_address'], `${fip.floatingIpAddress} is in no subnet of network ${fip.floatingNetworkId}`);
    } else if (holder && (holder.networkId !== fip.floatingNetworkId || !holder.fixedIps.some((ip) => ip.ipAddress === fip.floatingIpAddress))) {
      problem('INVALID', ['floating_ip_address'], `its network:floatingip port ${holder.id} does not hold ${fip.floatingIpAddress} on network ${fip.floatingNetworkId}`);
    }
    const portHolder = portOwner.get(fip.floatingPortId);
    if (portHolder) problem('CONFLICT', ['floating_ip_address'], `port ${fip.floatingPortId} already holds floating IP ${portHolder}`);
    else portOwner.set(fip.floatingPortId, fip.id);

    if (!fip.portId) continue;
    const port = cloud.ports.get(fip.portId);
    if (!port) {
      if (!known('ports', fip.portId)) problem('NOT_FOUND', ['port_id'], `port_id ${fip.portId} is not a port ${SOURCE}`);
      continue;
    }
    if (port.deviceOwner.startsWith('network:')) problem('INVALID', ['port_id'], `port ${port.id} is a ${port.deviceOwner} port`);
    if (!fip.fixedIpAddress || !port.fixedIps.some((ip) => ip.ipAddress === fip.fixedIpAddress)) {
      problem('INVALID', ['fixed_ip_address'], `${fip.fixedIpAddress ?? 'no address'} is not a fixed IP of port ${port.id}`);
    } else {
      const mapKey = `${port.id}/${fip.fixedIpAddress}`;
      const other = mappedBy.get(mapKey);
      if (other) problem('CONFLICT', ['fixed_ip_address'], `${fip.fixedIpAddress} of port ${port.id} already has floating IP ${other}`);
      else mappedBy.set(mapKey, fip.id);
    }
    if (fip.routerId && !known('routers', fip.routerId)) problem('NOT_FOUND', ['router_id'], `router_id ${fip.routerId} is not a router ${SOURCE}`);
  }
}

function hostingLists(known: Known, hosting: Hosting, issues: Issues): void {
  for (const [routerId, hosts] of hosting.routers) {
    if (known('routers', routerId)) continue;
    for (const { path } of hosts) issues.add('NOT_FOUND', path, `router ${routerId} in l3_agent_routers is not a router ${SOURCE}`);
  }
  for (const [networkId, hosts] of hosting.networks) {
    if (known('networks', networkId)) continue;
    for (const { path } of hosts) issues.add('NOT_FOUND', path, `network ${networkId} in dhcp_agent_networks is not a network ${SOURCE}`);
  }
}
