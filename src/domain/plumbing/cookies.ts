// The cookie on the flows of one bridge. The OVS agent gives each bridge it
// manages its own cookie when it starts (ovs_lib.py OVSBridge.__init__:
// generate_random_cookie, a random integer below 2^64 - 1) and puts it on
// every flow it installs there (ofswitch.py install_instructions) and on the
// flows its learn() action creates (br_tun.py _setup_learn_flows). A real
// host's cookies change at every agent restart; the model derives a stable
// one from the host id and the bridge name, so that the same host always
// prints the same cookie (docs/neutron-model.md, "Flow cookies").
import { createHash } from 'node:crypto';

/** 2^64 - 1: the value generate_random_cookie never returns (OpenFlow reserves it). */
const UINT64_BITMASK = (1n << 64n) - 1n;

/** The bridge's cookie as ovs-ofctl prints it: `0x` and lowercase hex without leading zeros. */
export function bridgeCookie(hostId: string, bridge: string): string {
  const digest = createHash('sha256').update(`ovs-agent-cookie:${hostId}:${bridge}`).digest();
  const value = digest.readBigUInt64BE(0) % UINT64_BITMASK;
  return `0x${value.toString(16)}`;
}
