// Database rows -> the domain's plain snapshot objects.
import type * as M from '../domain/model.js';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const toHost = (h: Row): M.Host => ({
  id: h.id,
  name: h.name,
  tunnelIp: h.tunnelIp,
  roles: h.roles,
  up: h.up,
  bridgeMappings: (h.bridgeMappings ?? {}) as Record<string, string>,
  l2Population: h.l2Population === true,
  arpResponder: h.arpResponder === true,
  enableIsolatedMetadata: h.enableIsolatedMetadata === true,
  firewallDriver: h.firewallDriver === 'OPENVSWITCH' ? 'OPENVSWITCH' : 'IPTABLES_HYBRID',
});

export const toNetwork = (n: Row): M.Network => ({
  id: n.id,
  name: n.name,
  projectId: n.projectId,
  networkType: n.networkType,
  segmentationId: n.segmentationId,
  physicalNetwork: n.physicalNetwork,
  external: n.external,
  shared: n.shared,
  mtu: n.mtu,
});

export const toSubnet = (s: Row): M.Subnet => ({
  id: s.id,
  networkId: s.networkId,
  name: s.name,
  cidr: s.cidr,
  gatewayIp: s.gatewayIp,
  ipVersion: s.ipVersion === 6 ? 6 : 4,
  enableDhcp: s.enableDhcp,
  hostRoutes: Array.isArray(s.hostRoutes) ? (s.hostRoutes as M.HostRoute[]) : [],
});

/** A port row loaded with `portInclude`. */
export const toPort = (p: Row): M.Port => ({
  id: p.id,
  name: p.name,
  networkId: p.networkId,
  projectId: p.projectId,
  macAddress: p.macAddress,
  deviceOwner: p.deviceOwner,
  deviceId: p.deviceId,
  status: p.status,
  hostId: p.hostId,
  fixedIps: (p.fixedIps ?? []).map((ip: Row) => ({ subnetId: ip.subnetId, ipAddress: ip.ipAddress })),
  securityGroupIds: (p.securityGroups ?? []).map((g: Row) => g.securityGroupId).sort(),
  portSecurityEnabled: p.portSecurityEnabled,
  adminStateUp: p.adminStateUp !== false,
  allowedAddressPairs: (p.allowedAddressPairs ?? []).map((a: Row) => ({ ipAddress: a.ipAddress, macAddress: a.macAddress })),
  instanceId: p.instanceId,
  routerId: p.routerId,
});

/** What a port needs from its child tables. */
export const portInclude = {
  fixedIps: { orderBy: [{ subnetId: 'asc' as const }, { ipAddress: 'asc' as const }] },
  securityGroups: true,
  allowedAddressPairs: true,
};

export const toInstance = (i: Row): M.Instance => ({ id: i.id, name: i.name, projectId: i.projectId, hostId: i.hostId });

export const toRouter = (r: Row): M.Router => ({
  id: r.id,
  name: r.name,
  projectId: r.projectId,
  hostId: r.hostId,
  gatewayNetworkId: r.gatewayNetworkId,
  enableSnat: r.enableSnat,
  routes: (r.routes ?? []).map((x: Row) => ({ destination: x.destination, nexthop: x.nexthop })),
});

export const toFloatingIp = (f: Row): M.FloatingIp => ({
  id: f.id,
  projectId: f.projectId,
  floatingIpAddress: f.floatingIpAddress,
  floatingNetworkId: f.floatingNetworkId,
  portId: f.portId,
  fixedIpAddress: f.fixedIpAddress,
  routerId: f.routerId,
});

export const toSecurityGroup = (g: Row): M.SecurityGroup => ({
  id: g.id,
  name: g.name,
  projectId: g.projectId,
  rules: (g.rules ?? []).map((r: Row) => ({
    id: r.id,
    securityGroupId: r.securityGroupId,
    direction: r.direction,
    ethertype: r.ethertype,
    protocol: r.protocol,
    portRangeMin: r.portRangeMin,
    portRangeMax: r.portRangeMax,
    remoteIpPrefix: r.remoteIpPrefix,
    remoteGroupId: r.remoteGroupId,
  })),
});

export const toLocalVlan = (v: Row): M.LocalVlan => ({ hostId: v.hostId, networkId: v.networkId, vlan: v.vlan });
