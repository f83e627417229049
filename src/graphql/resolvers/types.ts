// Field resolvers of the object types: thin reads through the loaders.
import type { Context } from '../context.js';
import { listConnection, type PageArgs } from '../connection.js';
import { portWhere } from '../filters.js';
import { uuidArg } from '../errors.js';
import { adminField, requireAdminForFilter } from '../authorization.js';
import { within } from '../visibility.js';
import { DEVICE_OWNER, isVmPort } from '../../domain/model.js';
import { usesHybridPlug } from '../../domain/plumbing/plug.js';
import { cidrOf } from '../../domain/addressing.js';
import { poolsOf } from '../../domain/allocationPools.js';
import { dhcpNamespace, portDeviceName, qbrName, qvbName, qvoName, qgName, qrName, routerNamespace, tapName } from '../../domain/naming.js';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const present = <T>(xs: (T | null)[]) => xs.filter((x): x is T => x !== null);

/** A router port's first address with its subnet. */
async function routerPortAddress(port: Row, ctx: Context) {
  const [ip] = await ctx.loaders.fixedIpsByPort.load(port.id);
  return ip ?? null;
}

export const typeResolvers = {
  Node: {
    __resolveType: (row: Row) => row.__typename ?? null,
  },
  Host: {
    bridgeMappings: (host: Row) =>
      Object.entries((host.bridgeMappings ?? {}) as Record<string, string>).map(([physicalNetwork, bridge]) => ({ physicalNetwork, bridge })),
    localVlans: (host: Row, _: unknown, ctx: Context) => ctx.loaders.localVlansByHost.load(host.id),
    localVlan: (host: Row, { networkId }: { networkId: string }, ctx: Context) =>
      ctx.loaders.localVlan.load(`${host.id}/${uuidArg(networkId, 'networkId')}`),
    instances: (host: Row, _: unknown, ctx: Context) => ctx.loaders.instancesByHost.load(host.id),
    routers: (host: Row, _: unknown, ctx: Context) => ctx.loaders.routersByHost.load(host.id),
  },
  LocalVlan: {
    host: (lv: Row, _: unknown, ctx: Context) => ctx.loaders.host.load(lv.hostId),
    network: (lv: Row, _: unknown, ctx: Context) => ctx.loaders.network.load(lv.networkId),
  },
  Network: {
    subnets: (net: Row, _: unknown, ctx: Context) => ctx.loaders.subnetsByNetwork.load(net.id),
    ports: (net: Row, args: PageArgs & { filter?: Record<string, unknown> | null }, ctx: Context) => {
      requireAdminForFilter(ctx, args.filter, 'hostName');
      const where = within({ ...portWhere(args.filter), networkId: net.id }, ctx.see.port);
      return listConnection(args, where, (q) => ctx.db.prisma.port.findMany(q), (q) => ctx.db.prisma.port.count(q));
    },
    localVlans: adminField((net: Row, _: unknown, ctx: Context) => ctx.loaders.localVlansByNetwork.load(net.id)),
    dhcpHosts: adminField(async (net: Row, _: unknown, ctx: Context) => {
      const dhcpPorts = await ctx.loaders.dhcpPortsByNetwork.load(net.id);
      const hostIds = dhcpPorts.map((p) => p.hostId).filter((id): id is string => id !== null);
      return present((await ctx.loaders.host.loadMany(hostIds)) as (Row | null)[]);
    }),
  },
  Subnet: {
    network: (subnet: Row, _: unknown, ctx: Context) => ctx.loaders.network.load(subnet.networkId),
    allocationPools: (subnet: Row) => poolsOf(cidrOf(subnet.cidr), subnet.gatewayIp, subnet.allocationPools ?? null),
  },
  FixedIp: {
    subnet: (ip: Row, _: unknown, ctx: Context) => ctx.loaders.subnet.load(ip.subnetId),
  },
  Port: {
    network: (port: Row, _: unknown, ctx: Context) => ctx.loaders.network.load(port.networkId),
    fixedIps: (port: Row, _: unknown, ctx: Context) => ctx.loaders.fixedIpsByPort.load(port.id),
    host: adminField((port: Row, _: unknown, ctx: Context) => (port.hostId ? ctx.loaders.host.load(port.hostId) : null)),
    securityGroups: async (port: Row, _: unknown, ctx: Context) => {
      const links = await ctx.loaders.securityGroupIdsByPort.load(port.id);
      return present(await ctx.loaders.securityGroup.loadMany(links.map((l) => l.securityGroupId)) as (Row | null)[]);
    },
    allowedAddressPairs: (port: Row, _: unknown, ctx: Context) => ctx.loaders.addressPairsByPort.load(port.id),
    instance: (port: Row, _: unknown, ctx: Context) => (port.instanceId ? ctx.loaders.instance.load(port.instanceId) : null),
    router: (port: Row, _: unknown, ctx: Context) => (port.routerId ? ctx.loaders.router.load(port.routerId) : null),
    localVlan: adminField((port: Row, _: unknown, ctx: Context) => (port.hostId ? ctx.loaders.localVlan.load(`${port.hostId}/${port.networkId}`) : null)),
    devices: async (port: Row, _: unknown, ctx: Context) => {
      // Hybrid plug: VM ports get tap -> qbr -> qvb/qvo; under the OVS firewall the tap is on br-int; network:* ports are OVS internal ports.
      const vm = isVmPort(port as { deviceOwner: string });
      const host = vm && port.hostId ? await ctx.loaders.host.load(port.hostId) : null;
      const hybrid = vm && usesHybridPlug(host?.firewallDriver ?? 'IPTABLES_HYBRID');
      const namespace =
        port.deviceOwner === DEVICE_OWNER.dhcp ? dhcpNamespace(port.networkId)
        : port.routerId && (port.deviceOwner === DEVICE_OWNER.routerInterface || port.deviceOwner === DEVICE_OWNER.routerGateway) ? routerNamespace(port.routerId)
        : null;
      return {
        name: portDeviceName(port as { id: string; deviceOwner: string }),
        tap: vm || port.deviceOwner === DEVICE_OWNER.dhcp ? tapName(port.id) : null,
        qbr: hybrid ? qbrName(port.id) : null,
        qvb: hybrid ? qvbName(port.id) : null,
        qvo: hybrid ? qvoName(port.id) : null,
        namespace,
      };
    },
  },
  Instance: {
    host: adminField((instance: Row, _: unknown, ctx: Context) => (instance.hostId ? ctx.loaders.host.load(instance.hostId) : null)),
    ports: (instance: Row, _: unknown, ctx: Context) => ctx.loaders.portsByInstance.load(instance.id),
    status: async (instance: Row, _: unknown, ctx: Context) => {
      const up = instance.hostId ? await ctx.loaders.hostUp.load(instance.hostId) : false;
      return up ? 'ACTIVE' : 'DOWN';
    },
  },
  Router: {
    host: adminField((router: Row, _: unknown, ctx: Context) => (router.hostId ? ctx.loaders.host.load(router.hostId) : null)),
    namespace: async (router: Row, _: unknown, ctx: Context) => {
      const ports = await ctx.loaders.portsByRouter.load(router.id);
      return router.hostId && ports.length > 0 ? routerNamespace(router.id) : null;
    },
    interfaces: async (router: Row, _: unknown, ctx: Context) => {
      const ports = (await ctx.loaders.portsByRouter.load(router.id)).filter((p) => p.deviceOwner === DEVICE_OWNER.routerInterface);
      return Promise.all(
        ports.map(async (port) => {
          const ip = await routerPortAddress(port, ctx);
          return { port, subnetId: ip?.subnetId, ipAddress: ip?.ipAddress, device: qrName(port.id) };
        }),
      );
    },
    gateway: async (router: Row, _: unknown, ctx: Context) => {
      const port = (await ctx.loaders.portsByRouter.load(router.id)).find((p) => p.deviceOwner === DEVICE_OWNER.routerGateway);
      if (!port) return null;
      const ip = await routerPortAddress(port, ctx);
      return { port, networkId: port.networkId, ipAddress: ip?.ipAddress, device: qgName(port.id), enableSnat: router.enableSnat };
    },
    extraRoutes: (router: Row, _: unknown, ctx: Context) => ctx.loaders.routesByRouter.load(router.id),
  },
  RouterInterface: {
    subnet: (i: Row, _: unknown, ctx: Context) => ctx.loaders.subnet.load(i.subnetId),
  },
  RouterGateway: {
    network: (g: Row, _: unknown, ctx: Context) => ctx.loaders.network.load(g.networkId),
  },
  FloatingIp: {
    externalNetwork: (fip: Row, _: unknown, ctx: Context) => ctx.loaders.network.load(fip.floatingNetworkId),
    port: (fip: Row, _: unknown, ctx: Context) => (fip.portId ? ctx.loaders.port.load(fip.portId) : null),
    router: (fip: Row, _: unknown, ctx: Context) => (fip.routerId ? ctx.loaders.router.load(fip.routerId) : null),
  },
  SecurityGroup: {
    rules: (group: Row, _: unknown, ctx: Context) => ctx.loaders.rulesByGroup.load(group.id),
  },
  SecurityGroupRule: {
    securityGroup: (rule: Row, _: unknown, ctx: Context) => ctx.loaders.securityGroup.load(rule.securityGroupId),
    remoteGroup: (rule: Row, _: unknown, ctx: Context) => (rule.remoteGroupId ? ctx.loaders.securityGroup.load(rule.remoteGroupId) : null),
  },
};
