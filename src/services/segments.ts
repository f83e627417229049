// Global segmentation ids, allocated as the ML2 type drivers do: project
// networks take the lowest free id of their pool; provider networks may name
// one, even outside the pool, as long as nobody holds it.
import { MAX_SEGMENT_ID, poolFor, rangeSize, type SegmentConfig } from '../domain/segments.js';
import { isTunnelType, type NetworkType } from '../domain/model.js';
import { fail } from './errors.js';
import { record } from './journal.js';
import type { Db } from './transaction.js';

export interface SegmentRequest {
  networkType: NetworkType;
  segmentationId: number | null;
  physicalNetwork: string | null;
}

export interface Segment {
  networkType: NetworkType;
  physicalNetwork: string;
  /** 0 for flat networks. */
  segmentationId: number;
}

/** Serializes allocation within one pool across transactions and server processes. */
async function lockPool(db: Db, type: NetworkType, physnet: string) {
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`segment:${type}:${physnet}`}))`;
}

async function isTaken(db: Db, seg: Segment): Promise<boolean> {
  const row = await db.segmentAllocation.findUnique({
    where: { networkType_physicalNetwork_segmentationId: seg },
    select: { networkId: true },
  });
  return row !== null;
}

async function lowestFree(db: Db, type: NetworkType, physnet: string, min: number, max: number): Promise<number | null> {
  const rows = await db.$queryRaw<{ s: number }[]>`
    SELECT s FROM (
      SELECT ${min}::int AS s
      WHERE NOT EXISTS (SELECT 1 FROM "SegmentAllocation"
        WHERE "networkType" = ${type}::"NetworkType" AND "physicalNetwork" = ${physnet} AND "segmentationId" = ${min})
      UNION ALL
      SELECT a."segmentationId" + 1 FROM "SegmentAllocation" a
      WHERE a."networkType" = ${type}::"NetworkType" AND a."physicalNetwork" = ${physnet}
        AND a."segmentationId" >= ${min} AND a."segmentationId" < ${max}
        AND NOT EXISTS (SELECT 1 FROM "SegmentAllocation" b
          WHERE b."networkType" = a."networkType" AND b."physicalNetwork" = a."physicalNetwork"
            AND b."segmentationId" = a."segmentationId" + 1)
    ) free ORDER BY s LIMIT 1`;
  return rows.length > 0 ? Number(rows[0].s) : null;
}

/** Validates the request against the type's rules and reserves a segment for `networkId`. */
export async function allocateSegment(db: Db, config: SegmentConfig, networkId: string, req: SegmentRequest): Promise<Segment> {
  const { networkType } = req;
  let physnet = '';
  if (isTunnelType(networkType)) {
    if (req.physicalNetwork) fail('INVALID', ['physicalNetwork'], `${networkType} networks take no physical network`);
  } else {
    if (!req.physicalNetwork) fail('INVALID', ['physicalNetwork'], `${networkType} networks need a physical network`);
    physnet = req.physicalNetwork;
  }
  if (networkType === 'FLAT') {
    if (req.segmentationId !== null) fail('INVALID', ['segmentationId'], 'flat networks take no segmentation id');
    if (!config.flatNetworks.includes('*') && !config.flatNetworks.includes(physnet)) {
      fail('INVALID', ['physicalNetwork'], `physical network '${physnet}' is not in FLAT_NETWORKS`);
    }
    const seg = { networkType, physicalNetwork: physnet, segmentationId: 0 };
    await lockPool(db, networkType, physnet);
    if (await isTaken(db, seg)) fail('CONFLICT', ['physicalNetwork'], `physical network '${physnet}' already holds a flat network`);
    await db.segmentAllocation.create({ data: { ...seg, networkId } });
    record({ kind: 'SEGMENT', change: 'ALLOCATED', networkId, networkType, physicalNetwork: physnet, segmentationId: null });
    return seg;
  }
  const pool = poolFor(config, networkType, physnet);
  if (networkType === 'VLAN' && !pool) fail('INVALID', ['physicalNetwork'], `physical network '${physnet}' is not in NETWORK_VLAN_RANGES`);
  await lockPool(db, networkType, physnet);
  let segmentationId: number;
  if (req.segmentationId !== null) {
    const max = MAX_SEGMENT_ID[networkType];
    if (!Number.isInteger(req.segmentationId) || req.segmentationId < 1 || req.segmentationId > max) {
      fail('INVALID', ['segmentationId'], `a ${networkType} segmentation id is from 1 to ${max}`);
    }
    segmentationId = req.segmentationId;
    if (await isTaken(db, { networkType, physicalNetwork: physnet, segmentationId })) {
      fail('CONFLICT', ['segmentationId'], `${networkType} segmentation id ${segmentationId}${physnet ? ` on ${physnet}` : ''} is in use`);
    }
  } else {
    let found: number | null = null;
    for (const range of [...(pool?.ranges ?? [])].sort((a, b) => a.min - b.min)) {
      found = await lowestFree(db, networkType, physnet, range.min, range.max);
      if (found !== null) break;
    }
    if (found === null) fail('EXHAUSTED', ['networkType'], `no free ${networkType} segmentation id${physnet ? ` on ${physnet}` : ''} is left in the configured ranges`);
    segmentationId = found;
  }
  const seg = { networkType, physicalNetwork: physnet, segmentationId };
  await db.segmentAllocation.create({ data: { ...seg, networkId } });
  record({ kind: 'SEGMENT', change: 'ALLOCATED', networkId, networkType, physicalNetwork: physnet || null, segmentationId });
  return seg;
}

export interface PoolUsage {
  networkType: NetworkType;
  physicalNetwork: string | null;
  ranges: { min: number; max: number }[];
  allocated: number;
  free: number;
}

/** Each configured pool with how many of its ids are held and free. */
export async function segmentPools(db: Db, config: SegmentConfig): Promise<PoolUsage[]> {
  return Promise.all(
    config.pools.map(async (pool) => {
      const allocated = await db.segmentAllocation.count({
        where: {
          networkType: pool.networkType,
          physicalNetwork: pool.physicalNetwork,
          OR: pool.ranges.map((r) => ({ segmentationId: { gte: r.min, lte: r.max } })),
        },
      });
      return {
        networkType: pool.networkType,
        physicalNetwork: pool.physicalNetwork || null,
        ranges: pool.ranges,
        allocated,
        free: rangeSize(pool.ranges) - allocated,
      };
    }),
  );
}
