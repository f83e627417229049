// Host, router and port fields derived by the domain from a host snapshot.
import type { Context } from '../context.js';
import { badUserInput } from '../errors.js';
import { hostBridges, hostFlows, hostNamespaces, renderDumpFlows, renderOvsVsctlShow, type Namespace } from '../../domain/plumbing/index.js';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const topologyOf = (hostId: string, ctx: Context) => ctx.loaders.hostTopology.load(hostId);

async function bridgeFlows(host: Row, bridge: string, ctx: Context) {
  const index = await topologyOf(host.id, ctx);
  const bridges = hostBridges(index, host.id).map((b) => b.name);
  if (!bridges.includes(bridge)) throw badUserInput(`host '${host.name}' has no bridge '${bridge}'; it has ${bridges.join(', ')}`);
  return hostFlows(index, host.id, bridge);
}

export const plumbingResolvers = {
  Host: {
    bridges: async (host: Row, _: unknown, ctx: Context) => hostBridges(await topologyOf(host.id, ctx), host.id),
    flows: async (host: Row, { bridge, table }: { bridge: string; table?: number | null }, ctx: Context) => {
      const flows = await bridgeFlows(host, bridge, ctx);
      return table === null || table === undefined ? flows : flows.filter((f) => f.table === table);
    },
    dumpFlows: async (host: Row, { bridge }: { bridge: string }, ctx: Context) => renderDumpFlows(await bridgeFlows(host, bridge, ctx)),
    ovsVsctlShow: async (host: Row, _: unknown, ctx: Context) =>
      renderOvsVsctlShow(hostBridges(await topologyOf(host.id, ctx), host.id), host.id, { connected: host.up }),
    namespaces: async (host: Row, _: unknown, ctx: Context) => hostNamespaces(await topologyOf(host.id, ctx), host.id),
  },
  Namespace: {
    router: (ns: Namespace, _: unknown, ctx: Context) => (ns.routerId ? ctx.loaders.router.load(ns.routerId) : null),
    network: (ns: Namespace, _: unknown, ctx: Context) => (ns.networkId ? ctx.loaders.network.load(ns.networkId) : null),
  },
  Router: {
    routes: async (router: Row, _: unknown, ctx: Context) => {
      if (!router.hostId) return [];
      const namespaces = hostNamespaces(await topologyOf(router.hostId, ctx), router.hostId);
      return namespaces.find((ns) => ns.routerId === router.id)?.routes ?? [];
    },
  },
};
