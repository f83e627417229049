// networks -> Network rows with their segment as the ML2 type drivers hold
// it: tunnel types take an id and no physnet, vlan both, flat a physnet only.
import { isTunnelType } from '../model.js';
import { MAX_SEGMENT_ID, networkMtu } from '../segments.js';
import { NETWORK_TYPES } from './enums.js';
import type { ObjectReader } from './fields.js';
import type { NetworkRow } from './model.js';

const TYPES = Object.keys(NETWORK_TYPES).join(', ');

/** The provider attributes: on the network, or in a `segments` list of one (multi-provider extension). */
function providerOf(reader: ObjectReader): ObjectReader | undefined {
  if (reader.has('provider:network_type') || !reader.has('segments')) return reader;
  const segments = reader.list('segments');
  if (segments === undefined) return undefined;
  if (segments.length !== 1) {
    reader.problem(['segments'], `a network of ${segments.length} segments is not modeled (one segment per network)`);
    return undefined;
  }
  const [segment] = segments;
  if (typeof segment !== 'object' || segment === null || Array.isArray(segment)) {
    reader.problem(['segments', '0'], 'a segment must be an object');
    return undefined;
  }
  return reader.nested(segment as Record<string, unknown>, 'segments', '0');
}

export function readNetwork(reader: ObjectReader, id: string): NetworkRow | undefined {
  const name = reader.string('name', '');
  const projectId = reader.project();
  const external = reader.boolean('router:external', false);
  const shared = reader.boolean('shared', false);
  const provider = providerOf(reader);
  if (!provider) return undefined;
  const typeText = provider.string('provider:network_type');
  if (typeText === undefined) return undefined;
  const networkType = NETWORK_TYPES[typeText.toLowerCase()];
  if (!networkType) {
    provider.problem(['provider:network_type'], `network type '${typeText}' is not modeled (${TYPES})`);
    return undefined;
  }
  const physicalNetwork = provider.optionalString('provider:physical_network');
  const segmentationId = networkType === 'FLAT' ? null : provider.integer('provider:segmentation_id', 1, MAX_SEGMENT_ID[networkType]);
  const mtu = reader.integer('mtu', 68, 65535);
  if (name === undefined || projectId === undefined || external === undefined || shared === undefined) return undefined;
  if (physicalNetwork === undefined || segmentationId === undefined || mtu === undefined) return undefined;

  if (isTunnelType(networkType)) {
    if (physicalNetwork) provider.problem(['provider:physical_network'], `${typeText} networks take no physical network`);
  } else if (!physicalNetwork) {
    provider.problem(['provider:physical_network'], `${typeText} networks need a physical network`);
  }
  if (networkType === 'FLAT') {
    if (provider.has('provider:segmentation_id')) provider.problem(['provider:segmentation_id'], 'flat networks take no segmentation id');
  } else if (segmentationId === null) {
    provider.problem(['provider:segmentation_id'], `${typeText} networks need a segmentation id`);
  }
  return {
    id,
    name,
    projectId,
    networkType,
    segmentationId,
    physicalNetwork: isTunnelType(networkType) ? null : physicalNetwork,
    external,
    shared,
    mtu: mtu ?? networkMtu(networkType),
    createdAt: reader.createdAt(),
  };
}
