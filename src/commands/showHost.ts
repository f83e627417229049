// `show-host <name> [--bridge br-tun]`: ovs-vsctl show and dump-flows of every bridge.
import { CommandError, graphql, parseOptions } from './client.js';

export async function showHostCommand(args: string[]): Promise<number> {
  const { positional, options } = parseOptions(args, ['bridge']);
  if (positional.length !== 1) throw new CommandError('usage: show-host <name> [--bridge <bridge>]');
  const { host } = await graphql<{ host: { name: string; ovsVsctlShow: string; bridges: { name: string }[] } | null }>(
    `query($name: String!) { host(name: $name) { name ovsVsctlShow bridges { name } } }`,
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
  return 0;
}
