// ML2 type driver policy: segment pools per network type, the rules for
// provider requests, and the MTU each encapsulation leaves (docs/neutron-model.md,
// "Segmentation ids and MTU (ML2 type drivers)").
import type { NetworkType } from './model.js';

export interface Range {
  min: number;
  max: number;
}

export interface SegmentPool {
  networkType: NetworkType;
  /** '' for tunnel types. */
  physicalNetwork: string;
  ranges: Range[];
}

export interface SegmentConfig {
  pools: SegmentPool[];
  /** Physnets that may hold a flat network ('*' allows any). */
  flatNetworks: string[];
}

/** Largest id per type. GRE keys reach 2^32-1 in Neutron; GraphQL Int stops at 2^31-1. */
export const MAX_SEGMENT_ID: Record<NetworkType, number> = {
  VXLAN: 2 ** 24 - 1,
  GENEVE: 2 ** 24 - 1,
  GRE: 2 ** 31 - 1,
  VLAN: 4094,
  FLAT: 0,
};

/** Encapsulation overhead including the outer IPv4 header (ML2 path_mtu 1500). */
const OVERHEAD: Record<NetworkType, number> = { VXLAN: 50, GENEVE: 50, GRE: 42, VLAN: 0, FLAT: 0 };

export function networkMtu(type: NetworkType, physicalMtu = 1500): number {
  return physicalMtu - OVERHEAD[type];
}

export class SegmentConfigError extends Error {}

function parseRange(text: string, type: NetworkType, setting: string): Range {
  const [a, b] = text.split(':').map((x) => x.trim());
  const min = Number(a);
  const max = Number(b);
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min || max > MAX_SEGMENT_ID[type]) {
    throw new SegmentConfigError(`${setting}: '${text}' is not a range min:max within 1..${MAX_SEGMENT_ID[type]}`);
  }
  return { min, max };
}

const list = (text: string | undefined) => (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/**
 * Reads the pools the way ML2 reads its options: vni_ranges,
 * tunnel_id_ranges, network_vlan_ranges (physnet[:min:max]), flat_networks.
 */
export function segmentConfigFrom(env: NodeJS.ProcessEnv): SegmentConfig {
  const pools: SegmentPool[] = [];
  const tunnel = (type: NetworkType, setting: string, fallback: string) => {
    const ranges = list(env[setting] ?? fallback).map((r) => parseRange(r, type, setting));
    pools.push({ networkType: type, physicalNetwork: '', ranges });
  };
  tunnel('VXLAN', 'VXLAN_VNI_RANGES', '1:65535');
  tunnel('GENEVE', 'GENEVE_VNI_RANGES', '1:65535');
  tunnel('GRE', 'GRE_TUNNEL_ID_RANGES', '1:65535');
  const vlanPools = new Map<string, Range[]>();
  for (const entry of list(env.NETWORK_VLAN_RANGES ?? 'physnet1:100:199')) {
    const [physnet, ...rest] = entry.split(':');
    if (!physnet) throw new SegmentConfigError(`NETWORK_VLAN_RANGES: '${entry}' names no physnet`);
    const ranges = vlanPools.get(physnet) ?? [];
    if (rest.length === 2) ranges.push(parseRange(rest.join(':'), 'VLAN', 'NETWORK_VLAN_RANGES'));
    else if (rest.length !== 0) throw new SegmentConfigError(`NETWORK_VLAN_RANGES: '${entry}' is not physnet[:min:max]`);
    vlanPools.set(physnet, ranges);
  }
  for (const [physnet, ranges] of vlanPools) pools.push({ networkType: 'VLAN', physicalNetwork: physnet, ranges });
  return { pools, flatNetworks: list(env.FLAT_NETWORKS ?? '*') };
}

export function poolFor(config: SegmentConfig, type: NetworkType, physnet: string): SegmentPool | undefined {
  return config.pools.find((p) => p.networkType === type && p.physicalNetwork === physnet);
}

export function rangeSize(ranges: Range[]): number {
  return ranges.reduce((n, r) => n + r.max - r.min + 1, 0);
}
