// OpenFlow port numbers. OVS numbers ports in the order they are added; the
// agent adds a bridge's patch ports first (patch-int/patch-tun, int-/phy-),
// then tunnel and VM ports as they appear. We number the patch ports first
// and the rest by name: stable for a given set of ports, and the same
// shape a freshly started host has. The bridge's own port is LOCAL.
import type { Bridge } from './bridges.js';

export function ofportNumbers(bridge: Bridge): Map<string, number> {
  const ports = bridge.ports.filter((p) => p.name !== bridge.name);
  const patches = ports.filter((p) => p.type === 'patch').map((p) => p.name).sort();
  const others = ports.filter((p) => p.type !== 'patch').map((p) => p.name).sort();
  return new Map([...patches, ...others].map((name, i) => [name, i + 1]));
}
