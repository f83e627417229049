// `show-host <name> [--bridge br-tun]`: ovs-vsctl show and dump-flows of every
// bridge, brctl show, ip netns, and ip -o addr and ip route of each namespace.
import { CommandError, graphql, parseOptions } from './client.js';

export async function showHostCommand(args: string[]): Promise<number> {
  const { positional, options } = parseOptions(args, ['bridge']);
  if (positional.length !== 1) throw new CommandError('usage: show-host <name> [--bridge <bridge>]');
  type Host = { name: string; ovsVsctlShow: string; brctlShow: string; ipNetns: string; bridges: { name: string }[]; namespaces: { name: string; ipAddr: string; ipRoute: string }[] };
  const { host } = await graphql<{ host: Host | null }>(
    `query($name: String!) { host(name: $name) { name ovsVsctlShow brctlShow ipNetns bridges { name } namespaces { name ipAddr ipRoute } } }`,
    { name: positional[0] },
  );
  if (!host) throw new CommandError(`host '${positional[0]}' does not exist`);
  const bridges = options.bridge ? [options.bridge] : host.bridges.map((b) => b.name);
  console.log(`# ovs-vsctl show (${host.name})\n${host.ovsVsctlShow}`);
  for (const bridge of bridges) {
    const { host: flows } = await graphql<{ host: { dumpFlows: string } }>(
      `query($name: String!, $bridge: String!) { host(name: $name) { dumpFlows(bridge: $bridge) } }`,
      { name: host.name, bridge },
    );
    console.log(`\n# ovs-ofctl dump-flows ${bridge}\n${flows.dumpFlows}`);
  }
  console.log(`\n# brctl show\n${host.brctlShow}`);
  console.log(`\n# ip netns\n${host.ipNetns}`);
  for (const ns of host.namespaces) {
    console.log(`\n# ip netns exec ${ns.name} ip -o addr\n${ns.ipAddr}`);
    console.log(`\n# ip netns exec ${ns.name} ip route\n${ns.ipRoute}`);
  }
  return 0;
}
