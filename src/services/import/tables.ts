// How each import row maps onto its table's columns for bulk writes.
import type {
  AddressPairRow,
  FixedIpRow,
  FloatingIpRow,
  HostRow,
  InstanceRow,
  LocalVlanRow,
  NetworkRow,
  PortRow,
  RouteRow,
  RouterRow,
  RuleRow,
  SecurityGroupRow,
  SubnetRow,
} from '../../domain/import/model.js';
import type { Column, Table } from './bulk.js';

const uuid = <R>(name: string, value: (row: R) => unknown): Column<R> => ({ name, type: 'uuid', value });
const text = <R>(name: string, value: (row: R) => unknown): Column<R> => ({ name, type: 'text', value });
const int = <R>(name: string, value: (row: R) => unknown): Column<R> => ({ name, type: 'int4', value });
const bool = <R>(name: string, value: (row: R) => unknown): Column<R> => ({ name, type: 'bool', value });
const enumOf = <R>(name: string, type: string, value: (row: R) => unknown): Column<R> => ({ name, type: `"${type}"`, value });
/** A row without a creation time (not given by the document) gets the transaction's. */
const createdAt = <R extends { createdAt: string | null }>(): Column<R> => ({
  name: 'createdAt',
  type: 'timestamp(3)',
  value: (row) => row.createdAt,
  select: (v) => `COALESCE(${v}, CURRENT_TIMESTAMP)`,
  insertOnly: true,
});

export const HOSTS: Table<HostRow> = {
  name: 'Host',
  key: ['id'],
  columns: [
    uuid('id', (r) => r.id),
    text('name', (r) => r.name),
    text('tunnelIp', (r) => r.tunnelIp),
    // An array per row cannot travel inside an unnested array: sent as its text form.
    { name: 'roles', type: 'text', value: (r) => `{${r.roles.join(',')}}`, select: (v) => `${v}::"HostRole"[]` },
    bool('up', (r) => r.up),
    { name: 'bridgeMappings', type: 'text', value: (r) => JSON.stringify(r.bridgeMappings), select: (v) => `${v}::jsonb` },
    bool('l2Population', (r) => r.l2Population),
    bool('arpResponder', (r) => r.arpResponder),
    bool('enableIsolatedMetadata', (r) => r.enableIsolatedMetadata),
    enumOf('firewallDriver', 'FirewallDriver', (r) => r.firewallDriver),
  ],
};

export const NETWORKS: Table<NetworkRow> = {
  name: 'Network',
  key: ['id'],
  columns: [
    uuid('id', (r) => r.id),
    text('name', (r) => r.name),
    text('projectId', (r) => r.projectId),
    enumOf('networkType', 'NetworkType', (r) => r.networkType),
    int('segmentationId', (r) => r.segmentationId),
    text('physicalNetwork', (r) => r.physicalNetwork),
    bool('external', (r) => r.external),
    bool('shared', (r) => r.shared),
    int('mtu', (r) => r.mtu),
    createdAt(),
  ],
};

/** SegmentAllocation as segments.ts writes it: '' for tunnel physnets, 0 for flat networks. */
export const SEGMENTS: Table<NetworkRow> = {
  name: 'SegmentAllocation',
  key: ['networkId'],
  columns: [
    enumOf('networkType', 'NetworkType', (r) => r.networkType),
    text('physicalNetwork', (r) => r.physicalNetwork ?? ''),
    int('segmentationId', (r) => r.segmentationId ?? 0),
    uuid('networkId', (r) => r.id),
  ],
};

export const SUBNETS: Table<SubnetRow> = {
  name: 'Subnet',
  key: ['id'],
  columns: [
    uuid('id', (r) => r.id),
    text('name', (r) => r.name),
    uuid('networkId', (r) => r.networkId),
    text('projectId', (r) => r.projectId),
    text('cidr', (r) => r.cidr),
    int('ipVersion', (r) => r.ipVersion),
    text('gatewayIp', (r) => r.gatewayIp),
    bool('enableDhcp', (r) => r.enableDhcp),
    { name: 'hostRoutes', type: 'text', value: (r) => JSON.stringify(r.hostRoutes), select: (v) => `${v}::jsonb` },
    createdAt(),
  ],
};

export const SECURITY_GROUPS: Table<SecurityGroupRow> = {
  name: 'SecurityGroup',
  key: ['id'],
  columns: [
    uuid('id', (r) => r.id),
    text('name', (r) => r.name),
    text('projectId', (r) => r.projectId),
    text('description', (r) => r.description),
    createdAt(),
  ],
};

export const RULES: Table<RuleRow> = {
  name: 'SecurityGroupRule',
  key: ['id'],
  columns: [
    uuid('id', (r) => r.id),
    uuid('securityGroupId', (r) => r.securityGroupId),
    enumOf('direction', 'Direction', (r) => r.direction),
    enumOf('ethertype', 'Ethertype', (r) => r.ethertype),
    text('protocol', (r) => r.protocol),
    int('portRangeMin', (r) => r.portRangeMin),
    int('portRangeMax', (r) => r.portRangeMax),
    text('remoteIpPrefix', (r) => r.remoteIpPrefix),
    uuid('remoteGroupId', (r) => r.remoteGroupId),
    createdAt(),
  ],
};

export const INSTANCES: Table<InstanceRow> = {
  name: 'Instance',
  key: ['id'],
  columns: [
    uuid('id', (r) => r.id),
    text('name', (r) => r.name),
    text('projectId', (r) => r.projectId),
    uuid('hostId', (r) => r.hostId),
    createdAt(),
  ],
};

export const ROUTERS: Table<RouterRow> = {
  name: 'Router',
  key: ['id'],
  columns: [
    uuid('id', (r) => r.id),
    text('name', (r) => r.name),
    text('projectId', (r) => r.projectId),
    uuid('hostId', (r) => r.hostId),
    uuid('gatewayNetworkId', (r) => r.gatewayNetworkId),
    bool('enableSnat', (r) => r.enableSnat),
    createdAt(),
  ],
};

export const ROUTES: Table<RouteRow & { routerId: string }> = {
  name: 'RouterRoute',
  key: ['routerId', 'destination', 'nexthop'],
  columns: [uuid('routerId', (r) => r.routerId), text('destination', (r) => r.destination), text('nexthop', (r) => r.nexthop)],
};

export const PORTS: Table<PortRow> = {
  name: 'Port',
  key: ['id'],
  columns: [
    uuid('id', (r) => r.id),
    text('name', (r) => r.name),
    uuid('networkId', (r) => r.networkId),
    text('projectId', (r) => r.projectId),
    text('macAddress', (r) => r.macAddress),
    text('deviceOwner', (r) => r.deviceOwner),
    text('deviceId', (r) => r.deviceId),
    enumOf('status', 'PortStatus', (r) => r.status),
    uuid('hostId', (r) => r.hostId),
    bool('portSecurityEnabled', (r) => r.portSecurityEnabled),
    bool('adminStateUp', (r) => r.adminStateUp),
    uuid('instanceId', (r) => r.instanceId),
    uuid('routerId', (r) => r.routerId),
    createdAt(),
  ],
};

export const FIXED_IPS: Table<FixedIpRow & { portId: string }> = {
  name: 'IpAllocation',
  key: ['portId', 'subnetId', 'ipAddress'],
  columns: [uuid('portId', (r) => r.portId), uuid('subnetId', (r) => r.subnetId), text('ipAddress', (r) => r.ipAddress)],
};

export const PORT_GROUPS: Table<{ portId: string; securityGroupId: string }> = {
  name: 'PortSecurityGroup',
  key: ['portId', 'securityGroupId'],
  columns: [uuid('portId', (r) => r.portId), uuid('securityGroupId', (r) => r.securityGroupId)],
};

export const ADDRESS_PAIRS: Table<AddressPairRow & { portId: string }> = {
  name: 'AllowedAddressPair',
  key: ['portId', 'ipAddress'],
  columns: [uuid('portId', (r) => r.portId), text('ipAddress', (r) => r.ipAddress), text('macAddress', (r) => r.macAddress)],
};

export const FLOATING_IPS: Table<FloatingIpRow> = {
  name: 'FloatingIp',
  key: ['id'],
  columns: [
    uuid('id', (r) => r.id),
    text('projectId', (r) => r.projectId),
    text('floatingIpAddress', (r) => r.floatingIpAddress),
    uuid('floatingNetworkId', (r) => r.floatingNetworkId),
    uuid('floatingPortId', (r) => r.floatingPortId),
    uuid('portId', (r) => r.portId),
    text('fixedIpAddress', (r) => r.fixedIpAddress),
    uuid('routerId', (r) => r.routerId),
    createdAt(),
  ],
};

export const LOCAL_VLANS: Table<LocalVlanRow> = {
  name: 'LocalVlan',
  key: ['hostId', 'networkId'],
  columns: [uuid('hostId', (r) => r.hostId), uuid('networkId', (r) => r.networkId), int('vlan', (r) => r.vlan)],
};
