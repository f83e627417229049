// fast-check arbitraries for every mutation's input: mostly plausible values
// (existing ids, addresses inside existing subnets) mixed with hostile ones
// (bad CIDRs, overlapping ranges, huge numbers, unicode, injections, wrong
// ids) and, now and then, a value of the wrong JSON type for its variable.
import fc, { type Arbitrary } from 'fast-check';

/** Ids of objects that exist when the run starts (some get deleted on the way). */
export interface Pools {
  hosts: string[];
  networks: string[];
  externalNetworks: string[];
  subnets: string[];
  ports: string[];
  routers: string[];
  groups: string[];
  rules: string[];
  instances: string[];
  floatingIps: string[];
  projects: string[];
}

const INJECTIONS = [
  `'; DROP TABLE "Network"; --`,
  `" OR 1=1 --`,
  `') OR ('1'='1`,
  '\u0000',
  'a\u0000b',
  '$1',
  '%',
  '_',
  '\\',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '\uD800',
  '\uFFFF',
  '\u202Eevil',
  '𝕏𝕐',
  'ﬁ',
  ' ',
  '',
  '   ',
  'x'.repeat(256),
  'y'.repeat(5000),
  'NaN',
  'null',
  '-1',
];

/** Any text at all: ASCII, full unicode, raw code points, injections. */
export const text: Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.constantFrom(...INJECTIONS), weight: 3 },
);

/** A value of some JSON type, for a variable that wants another. */
const wrongType: Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e308, -0.5),
);

/** Mostly `arb`, once in a while a wrong type. */
const sometimesWrong = <T>(arb: Arbitrary<T>): Arbitrary<unknown> => fc.oneof({ arbitrary: arb, weight: 30 }, { arbitrary: wrongType, weight: 1 });

const ids = (pool: string[]): Arbitrary<string> => {
  const hostile = fc.oneof(fc.uuid(), text, fc.constant('00000000-0000-0000-0000-000000000000'));
  if (pool.length === 0) return hostile;
  const existing = fc.constantFrom(...pool);
  return fc.oneof({ arbitrary: existing, weight: 6 }, { arbitrary: existing.map((id) => id.toUpperCase()), weight: 1 }, { arbitrary: hostile, weight: 2 });
};

const int: Arbitrary<number> = fc.oneof(
  fc.integer({ min: -5, max: 70_000 }),
  fc.integer(),
  fc.constantFrom(0, -1, 1, 255, 256, 4094, 4095, 65535, 65536, 16_777_215, 16_777_216, 2 ** 31 - 1, -(2 ** 31)),
);

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.oneof(fc.ipV4(), fc.tuple(octet, octet).map(([a, b]) => `10.${a % 4}.${b % 4}.${a}`), fc.ipV4Extended());
export const ip: Arbitrary<string> = fc.oneof(
  { arbitrary: ipv4, weight: 3 },
  { arbitrary: fc.ipV6(), weight: 1 },
  { arbitrary: fc.constantFrom('172.24.4.10', '10.0.0.1', '10.0.0.0', '10.0.0.255', '255.255.255.255', '0.0.0.0', '::', '::1', 'fe80::1%eth0', '1.2.3', '1.2.3.4.5', '999.1.1.1'), weight: 1 },
  { arbitrary: text, weight: 1 },
);

export const cidr: Arbitrary<string> = fc.oneof(
  { arbitrary: fc.tuple(ipv4, fc.integer({ min: -1, max: 40 })).map(([a, p]) => `${a}/${p}`), weight: 3 },
  { arbitrary: fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 130 })).map(([a, p]) => `${a}/${p}`), weight: 1 },
  // Overlapping and degenerate ranges.
  { arbitrary: fc.constantFrom('10.0.0.0/8', '10.0.0.0/16', '10.0.0.0/24', '10.0.0.128/25', '0.0.0.0/0', '::/0', '2001:db8::/32', '2001:db8::/127', '10.0.0.0/31', '10.0.0.0/32', '10.0.0.0/-1', '10.0.0.0/', '/24', '10.0.0.0/24/24'), weight: 2 },
  { arbitrary: text, weight: 1 },
);

const mac: Arbitrary<string> = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, '0')).join(':')),
  fc.constantFrom('fa:16:3e:00:00:01', '01:00:5e:00:00:01', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00', 'FA-16-3E-00-00-02', 'fa163e000003'),
  text,
);

const optional = <T>(arb: Arbitrary<T>): Arbitrary<T | null> => fc.option(arb, { nil: null, freq: 3 });
const list = <T>(arb: Arbitrary<T>, maxLength = 4) => fc.array(arb, { maxLength });
const enumOf = (...values: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 6 }, { arbitrary: text, weight: 1 });

/** An input object: every key may be left out unless required; each value may be of a wrong type. */
function input(model: Record<string, Arbitrary<unknown>>, required: string[]): Arbitrary<unknown> {
  const fields = Object.fromEntries(Object.entries(model).map(([k, arb]) => [k, sometimesWrong(arb)]));
  return fc.oneof({ arbitrary: fc.record(fields, { requiredKeys: required }), weight: 40 }, { arbitrary: wrongType, weight: 1 });
}

/**
 * Inputs a careful client might send, so that runs also reach the deep end
 * of the services (allocation, scheduling, binding) and not only their first
 * checks: existing ids, fresh names, fresh CIDRs, addresses of the subnets.
 */
function plausibleInputs(p: Pools): Record<string, Arbitrary<unknown>> {
  const pick = (pool: string[]) => fc.constantFrom(...(pool.length ? pool : ['00000000-0000-4000-8000-000000000000']));
  const name = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), fc.constantFrom('web', 'ñandú', '数据库', 'db 1'));
  const project = pick(p.projects);
  const host = pick(p.hosts.filter((h) => h.startsWith('compute')));
  const freshCidr = fc.oneof(
    fc.tuple(fc.integer({ min: 100, max: 250 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 22, max: 29 })).map(([a, b, len]) => `10.${a}.${b}.0/${len}`),
    fc.integer({ min: 0, max: 0xffff }).map((x) => `2001:db8:${x.toString(16)}::/64`),
  );
  const addressIn = fc.tuple(fc.constantFrom('10.0.0', '10.1.0', '10.2.0', '172.24.4'), fc.integer({ min: 2, max: 254 })).map(([net, host]) => `${net}.${host}`);
  const macAddress = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 3, maxLength: 3 }).map((b) => `fa:16:3e:${b.map((x) => x.toString(16).padStart(2, '0')).join(':')}`);
  const record = (model: Record<string, Arbitrary<unknown>>, required: string[]) => fc.record(model, { requiredKeys: required });
  return {
    registerHost: record({ name, tunnelIp: fc.ipV4(), roles: fc.subarray(['COMPUTE', 'NETWORK'], { minLength: 1 }) }, ['name', 'tunnelIp', 'roles']),
    createNetwork: fc.oneof(
      record({ name, projectId: project, networkType: fc.constantFrom('VXLAN', 'GRE', 'GENEVE'), shared: fc.boolean(), external: fc.boolean() }, ['name', 'projectId']),
      record({ name, projectId: project, networkType: fc.constantFrom('VLAN', 'FLAT'), physicalNetwork: fc.constantFrom('physnet1', 'physnet2') }, ['name', 'projectId', 'networkType', 'physicalNetwork']),
    ),
    createSubnet: record({ networkId: pick(p.networks), cidr: freshCidr, enableDhcp: fc.boolean(), name }, ['networkId', 'cidr']),
    createRouter: record({ name, projectId: project, routes: fc.array(fc.record({ destination: freshCidr, nexthop: addressIn }), { maxLength: 2 }) }, ['name', 'projectId']),
    addRouterInterface: record({ routerId: pick(p.routers), subnetId: pick(p.subnets) }, ['routerId', 'subnetId']),
    createSecurityGroupRule: record(
      {
        securityGroupId: pick(p.groups),
        direction: fc.constantFrom('INGRESS', 'EGRESS'),
        ethertype: fc.constantFrom('IPV4', 'IPV6'),
        protocol: fc.constantFrom('tcp', 'udp', 'icmp', '47'),
        portRangeMin: fc.integer({ min: 1, max: 1024 }),
        portRangeMax: fc.integer({ min: 1024, max: 65535 }),
        remoteGroupId: pick(p.groups),
      },
      ['securityGroupId', 'direction'],
    ),
    createPort: record(
      {
        networkId: pick(p.networks),
        fixedIps: fc.array(fc.record({ subnetId: pick(p.subnets), ipAddress: fc.option(addressIn, { nil: null }) }), { maxLength: 2 }),
        macAddress,
        securityGroupIds: fc.array(pick(p.groups), { maxLength: 2 }),
        allowedAddressPairs: fc.array(fc.record({ ipAddress: fc.oneof(addressIn, freshCidr) }), { maxLength: 2 }),
        name,
        projectId: project,
      },
      ['networkId'],
    ),
    bindPort: record({ portId: pick(p.ports), hostName: host }, ['portId', 'hostName']),
    bootInstance: record(
      { name, projectId: project, hostName: host, networks: fc.array(fc.record({ networkId: pick(p.networks) }), { minLength: 1, maxLength: 3 }) },
      ['name', 'projectId', 'hostName'],
    ),
    migrateInstance: record({ instanceId: pick(p.instances), hostName: host }, ['instanceId', 'hostName']),
    createFloatingIp: record({ externalNetworkId: pick(p.externalNetworks), projectId: project, portId: pick(p.ports) }, ['externalNetworkId']),
    associateFloatingIp: record({ floatingIpId: pick(p.floatingIps), portId: pick(p.ports) }, ['floatingIpId', 'portId']),
  };
}

export function mutationInputs(p: Pools): Record<string, Arbitrary<unknown>> {
  const hostile = hostileInputs(p);
  const plausible = plausibleInputs(p);
  return Object.fromEntries(
    Object.entries(hostile).map(([mutation, arb]) => [mutation, plausible[mutation] ? fc.oneof({ arbitrary: plausible[mutation], weight: 2 }, { arbitrary: arb, weight: 3 }) : arb]),
  );
}

function hostileInputs(p: Pools): Record<string, Arbitrary<unknown>> {
  const host = fc.oneof({ arbitrary: fc.constantFrom(...p.hosts), weight: 3 }, { arbitrary: text, weight: 1 });
  const project = fc.oneof({ arbitrary: fc.constantFrom(...p.projects), weight: 3 }, { arbitrary: text, weight: 1 });
  const net = ids(p.networks);
  const deleteOf = (pool: string[]) => input({ id: ids(pool) }, ['id']);
  return {
    registerHost: input(
      {
        id: optional(ids([])),
        name: fc.oneof(text, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 })),
        tunnelIp: ip,
        roles: fc.oneof(fc.subarray(['COMPUTE', 'NETWORK']), list(enumOf('COMPUTE', 'NETWORK'))),
        bridgeMappings: optional(list(fc.record({ physicalNetwork: text, bridge: fc.oneof(text, fc.constantFrom('br-ex', 'br-eth1', 'br-' + 'x'.repeat(20))) }))),
        availabilityZone: optional(fc.oneof(fc.constant('az2'), text)),
      },
      ['name', 'tunnelIp', 'roles'],
    ),
    setHostStatus: input({ hostName: host, up: fc.boolean() }, ['hostName', 'up']),
    createNetwork: input(
      {
        id: optional(ids(p.networks)),
        name: text,
        projectId: project,
        networkType: optional(enumOf('VXLAN', 'GRE', 'GENEVE', 'VLAN', 'FLAT')),
        segmentationId: optional(int),
        physicalNetwork: optional(fc.oneof(fc.constantFrom('physnet1', 'physnet2'), text)),
        external: optional(fc.boolean()),
        shared: optional(fc.boolean()),
      },
      ['name', 'projectId'],
    ),
    deleteNetwork: deleteOf(p.networks),
    createSubnet: input(
      {
        id: optional(ids(p.subnets)),
        networkId: net,
        cidr,
        gatewayIp: optional(ip),
        noGateway: optional(fc.boolean()),
        enableDhcp: optional(fc.boolean()),
        name: optional(text),
      },
      ['networkId', 'cidr'],
    ),
    deleteSubnet: deleteOf(p.subnets),
    createRouter: input(
      { id: optional(ids(p.routers)), name: text, projectId: project, routes: optional(list(fc.record({ destination: cidr, nexthop: ip }))) },
      ['name', 'projectId'],
    ),
    updateRouter: input(
      { id: ids(p.routers), name: optional(text), routes: optional(list(fc.record({ destination: cidr, nexthop: ip }))), enableSnat: optional(fc.boolean()) },
      ['id'],
    ),
    deleteRouter: deleteOf(p.routers),
    addRouterInterface: input({ routerId: ids(p.routers), subnetId: ids(p.subnets) }, ['routerId', 'subnetId']),
    removeRouterInterface: input({ routerId: ids(p.routers), subnetId: ids(p.subnets) }, ['routerId', 'subnetId']),
    setRouterGateway: input({ routerId: ids(p.routers), externalNetworkId: ids([...p.externalNetworks, ...p.networks]), enableSnat: optional(fc.boolean()) }, ['routerId', 'externalNetworkId']),
    clearRouterGateway: input({ routerId: ids(p.routers) }, ['routerId']),
    createSecurityGroup: input({ id: optional(ids(p.groups)), name: fc.oneof(text, fc.constant('default')), projectId: project, description: optional(text) }, ['name', 'projectId']),
    updateSecurityGroup: input({ id: ids(p.groups), name: optional(fc.oneof(text, fc.constant('default'))), description: optional(text) }, ['id']),
    deleteSecurityGroup: deleteOf(p.groups),
    createSecurityGroupRule: input(
      {
        id: optional(ids(p.rules)),
        securityGroupId: ids(p.groups),
        direction: enumOf('INGRESS', 'EGRESS'),
        ethertype: optional(enumOf('IPV4', 'IPV6')),
        protocol: optional(fc.oneof(fc.constantFrom('tcp', 'udp', 'icmp', 'icmpv6', 'TCP', 'any', '6', '17', '255', '256', '-1', '07', '1e2'), text)),
        portRangeMin: optional(int),
        portRangeMax: optional(int),
        remoteIpPrefix: optional(cidr),
        remoteGroupId: optional(ids(p.groups)),
      },
      ['securityGroupId', 'direction'],
    ),
    deleteSecurityGroupRule: deleteOf(p.rules),
    createPort: input(
      {
        id: optional(ids(p.ports)),
        networkId: net,
        fixedIps: optional(list(fc.record({ subnetId: ids(p.subnets), ipAddress: optional(ip) }, { requiredKeys: ['subnetId'] }))),
        macAddress: optional(mac),
        securityGroupIds: optional(list(ids(p.groups))),
        portSecurityEnabled: optional(fc.boolean()),
        allowedAddressPairs: optional(list(fc.record({ ipAddress: fc.oneof(ip, cidr), macAddress: optional(mac) }, { requiredKeys: ['ipAddress'] }))),
        name: optional(text),
        projectId: optional(project),
        deviceOwner: optional(fc.oneof(fc.constantFrom('compute:nova', 'network:dhcp', 'network:router_interface', ''), text)),
        deviceId: optional(text),
      },
      ['networkId'],
    ),
    updateHost: input(
      {
        hostName: host,
        tunnelIp: optional(ip),
        roles: optional(fc.oneof(fc.subarray(['COMPUTE', 'NETWORK']), list(enumOf('COMPUTE', 'NETWORK')))),
        l2Population: optional(fc.boolean()),
        arpResponder: optional(fc.boolean()),
        enableIsolatedMetadata: optional(fc.boolean()),
        firewallDriver: optional(enumOf('IPTABLES_HYBRID', 'OPENVSWITCH')),
      },
      ['hostName'],
    ),
    updateNetwork: input({ id: net, name: optional(text), shared: optional(fc.boolean()), mtu: optional(fc.integer({ min: -1, max: 70000 })) }, ['id']),
    updateSubnet: input(
      {
        id: ids(p.subnets),
        name: optional(text),
        gatewayIp: optional(ip),
        noGateway: optional(fc.boolean()),
        enableDhcp: optional(fc.boolean()),
        dnsNameservers: optional(list(ip)),
        hostRoutes: optional(list(fc.record({ destination: cidr, nexthop: ip }))),
        allocationPools: optional(list(fc.record({ start: ip, end: ip }))),
      },
      ['id'],
    ),
    updatePort: input(
      {
        id: ids(p.ports),
        name: optional(text),
        adminStateUp: optional(fc.boolean()),
        portSecurityEnabled: optional(fc.boolean()),
        securityGroupIds: optional(list(ids(p.groups))),
        allowedAddressPairs: optional(list(fc.record({ ipAddress: fc.oneof(ip, cidr), macAddress: optional(mac) }, { requiredKeys: ['ipAddress'] }))),
        fixedIps: optional(list(fc.record({ subnetId: ids(p.subnets), ipAddress: optional(ip) }, { requiredKeys: ['subnetId'] }))),
      },
      ['id'],
    ),
    deletePort: deleteOf(p.ports),
    bindPort: input({ portId: ids(p.ports), hostName: host }, ['portId', 'hostName']),
    unbindPort: input({ portId: ids(p.ports) }, ['portId']),
    bootInstance: input(
      {
        id: optional(ids(p.instances)),
        name: text,
        projectId: project,
        hostName: optional(host),
        availabilityZone: optional(fc.oneof(fc.constant('nova'), text)),
        networks: optional(list(fc.record({ networkId: net, fixedIp: optional(ip) }, { requiredKeys: ['networkId'] }), 3)),
        portIds: optional(list(ids(p.ports), 3)),
        securityGroupIds: optional(list(ids(p.groups))),
      },
      ['name'],
    ),
    migrateInstance: input({ instanceId: ids(p.instances), hostName: host }, ['instanceId', 'hostName']),
    deleteInstance: deleteOf(p.instances),
    createFloatingIp: input(
      { id: optional(ids(p.floatingIps)), externalNetworkId: ids([...p.externalNetworks, ...p.networks]), floatingIpAddress: optional(ip), portId: optional(ids(p.ports)), projectId: optional(project) },
      ['externalNetworkId'],
    ),
    associateFloatingIp: input({ floatingIpId: ids(p.floatingIps), portId: ids(p.ports), fixedIpAddress: optional(ip) }, ['floatingIpId', 'portId']),
    disassociateFloatingIp: input({ floatingIpId: ids(p.floatingIps) }, ['floatingIpId']),
    deleteFloatingIp: deleteOf(p.floatingIps),
    setQuota: input(
      { projectId: project, resource: enumOf('NETWORK', 'SUBNET', 'PORT', 'ROUTER', 'FLOATINGIP', 'SECURITY_GROUP', 'SECURITY_GROUP_RULE'), limit: optional(int) },
      ['projectId', 'resource'],
    ),
    // MERGE only: a REPLACE that happened to be valid would empty the pools.
    importNeutron: input({ document: fc.jsonValue({ maxDepth: 3 }), mode: optional(enumOf('MERGE')) }, ['document']),
    // No http URL: a webhook made here would deliver (and write attempts) while the test counts rows.
    createWebhook: input(
      { url: fc.oneof(text, fc.constant('ftp://127.0.0.1/x'), fc.constant('javascript:alert(1)')), secret: text, projectId: optional(project), filter: fc.constant({ objectType: 'HOST', projectId: 'none' }) },
      ['url', 'secret', 'filter'],
    ),
    deleteWebhook: deleteOf([]),
    createToken: input(
      { name: optional(text), projectId: optional(project), readOnly: optional(fc.boolean()), expiresAt: optional(fc.oneof(text, fc.date({ noInvalidDate: true }).map((d) => d.toISOString()))) },
      [],
    ),
    // Ids of no token: revoking the test's own tokens would refuse the rest of the run.
    revokeToken: deleteOf([]),
  };
}
