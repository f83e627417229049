// Host, router and port fields derived by the domain from a host snapshot.
import type { Context } from '../context.js';
import { badUserInput } from '../errors.js';
import { portFirewall, portOpenFlow, unfilteredReason, type IpSet } from '../../domain/firewall/index.js';
import { TopologyIndex } from '../../domain/topologyIndex.js';
import { loadPortTopology } from '../../store/portSnapshot.js';
import {
  hostBridges, hostFlows, hostLinuxBridges, hostNamespaces, ofportNumbers, renderBrctlShow, renderDumpFlows, renderIpAddr, renderIpNetns, renderIpRoute,
  renderOvsVsctlShow, type Namespace,
} from '../../domain/plumbing/index.js';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const topologyOf = (hostId: string, ctx: Context) => ctx.loaders.hostTopology.load(hostId);

/** The bridge and its flows; an unknown bridge is the client's mistake. */
async function bridgeFlows(host: Row, name: string, ctx: Context) {
  const index = await topologyOf(host.id, ctx);
  const bridges = hostBridges(index, host.id);
  const bridge = bridges.find((b) => b.name === name);
  if (!bridge) throw badUserInput(`host '${host.name}' has no bridge '${name}'; it has ${bridges.map((b) => b.name).join(', ')}`);
  return { bridge, flows: hostFlows(index, host.id, name) };
}

/** Bridges with each port's ofport number. */
async function bridgesOf(host: Row, ctx: Context) {
  return hostBridges(await topologyOf(host.id, ctx), host.id).map((bridge) => {
    const ofports = ofportNumbers(bridge);
    return { ...bridge, ports: bridge.ports.map((p) => ({ ...p, ofport: ofports.get(p.name) ?? null })) };
  });
}

export const plumbingResolvers = {
  Host: {
    bridges: (host: Row, _: unknown, ctx: Context) => bridgesOf(host, ctx),
    flows: async (host: Row, { bridge, table }: { bridge: string; table?: number | null }, ctx: Context) => {
      const { flows } = await bridgeFlows(host, bridge, ctx);
      return table === null || table === undefined ? flows : flows.filter((f) => f.table === table);
    },
    dumpFlows: async (host: Row, { bridge }: { bridge: string }, ctx: Context) => renderDumpFlows((await bridgeFlows(host, bridge, ctx)).flows),
    ovsVsctlShow: async (host: Row, _: unknown, ctx: Context) =>
      renderOvsVsctlShow(hostBridges(await topologyOf(host.id, ctx), host.id), host.id, { connected: host.up }),
    namespaces: async (host: Row, _: unknown, ctx: Context) => hostNamespaces(await topologyOf(host.id, ctx), host.id),
    brctlShow: async (host: Row, _: unknown, ctx: Context) => renderBrctlShow(hostLinuxBridges(await topologyOf(host.id, ctx), host.id)),
    ipNetns: async (host: Row, _: unknown, ctx: Context) => renderIpNetns(hostNamespaces(await topologyOf(host.id, ctx), host.id)),
  },
  Port: {
    firewall: async (port: Row, _: unknown, ctx: Context) => {
      // Under the Open vSwitch firewall the port's groups are br-int flows, which depend on the whole host.
      const hostIndex = port.hostId ? await topologyOf(port.hostId, ctx) : null;
      const openflow = hostIndex ? portOpenFlow(hostIndex, port.id) : null;
      if (hostIndex && openflow !== null) {
        const filtered = unfilteredReason(hostIndex.ports.get(port.id)!) === null && openflow !== '';
        return { driver: 'OPENVSWITCH', filtered, openflow, chains: [], iptables: '', ip6tables: '', ipsets: [] };
      }
      const index = new TopologyIndex(await loadPortTopology(ctx.db.prisma, port.id));
      const domainPort = index.ports.get(port.id);
      if (!domainPort) return { driver: 'IPTABLES_HYBRID', filtered: false, openflow: null, chains: [], iptables: '', ip6tables: '', ipsets: [] };
      const listing = portFirewall(index, domainPort);
      return {
        driver: 'IPTABLES_HYBRID',
        openflow: null,
        filtered: domainPort.hostId !== null && unfilteredReason(domainPort) === null,
        chains: listing.chains,
        iptables: listing.text,
        ip6tables: listing.ipv6.text,
        ipsets: listing.ipsets,
      };
    },
  },
  IpSet: {
    securityGroup: (set: IpSet, _: unknown, ctx: Context) => ctx.loaders.securityGroup.load(set.securityGroupId),
  },
  Namespace: {
    router: (ns: Namespace, _: unknown, ctx: Context) => (ns.routerId ? ctx.loaders.router.load(ns.routerId) : null),
    network: (ns: Namespace, _: unknown, ctx: Context) => (ns.networkId ? ctx.loaders.network.load(ns.networkId) : null),
    ipAddr: (ns: Namespace) => renderIpAddr(ns),
    ipRoute: (ns: Namespace) => renderIpRoute(ns),
  },
  Router: {
    routes: async (router: Row, _: unknown, ctx: Context) => {
      if (!router.hostId) return [];
      const namespaces = hostNamespaces(await topologyOf(router.hostId, ctx), router.hostId);
      return namespaces.find((ns) => ns.routerId === router.id)?.routes ?? [];
    },
  },
};
