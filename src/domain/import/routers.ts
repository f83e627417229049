// routers -> Router rows with their extra routes; external_gateway_info
// names the gateway network and SNAT, and its external_fixed_ips stand for
// the gateway port when the document does not list that port.
import { parsePrefix } from '../addressing.js';
import { readFixedIps, readObjects, type ObjectReader } from './fields.js';
import type { FixedIpRow, RouteRow, RouterRow } from './model.js';

export interface RouterEntry {
  row: RouterRow;
  /** external_gateway_info.external_fixed_ips; null without a gateway. */
  gatewayIps: FixedIpRow[] | null;
}

function readRoutes(reader: ObjectReader): RouteRow[] | undefined {
  return readObjects<RouteRow>(reader, 'routes', () => 'a route must be an object', (route, before) => {
    const destinationText = route.string('destination');
    const nexthop = route.ip('nexthop');
    if (destinationText === undefined || nexthop === undefined) return undefined;
    const destination = parsePrefix(destinationText);
    if (!destination) {
      route.problem(['destination'], `'${destinationText}' is not a CIDR`);
      return undefined;
    }
    if (before.some((r) => r.destination === destination.text && r.nexthop === nexthop)) {
      route.problem(['destination'], `route ${destination.text} via ${nexthop} is listed twice`, 'CONFLICT');
      return undefined;
    }
    return { destination: destination.text, nexthop };
  });
}

export function readRouter(reader: ObjectReader, id: string, warn: (message: string) => void): RouterEntry | undefined {
  const name = reader.string('name', '');
  const projectId = reader.project();
  const routes = readRoutes(reader);
  const info = reader.child('external_gateway_info');
  if (name === undefined || projectId === undefined || routes === undefined || info === undefined) return undefined;
  if (reader.object.distributed === true || reader.object.ha === true) {
    warn(`${reader.label} is ${reader.object.distributed === true ? 'distributed (DVR)' : 'HA'}; the model runs it as a legacy router on one L3 agent host`);
  }
  let gatewayNetworkId: string | null = null;
  let enableSnat = true;
  let gatewayIps: FixedIpRow[] | null = null;
  if (info) {
    const gateway = reader.nested(info, 'external_gateway_info');
    const networkId = gateway.uuid('network_id');
    const snat = gateway.boolean('enable_snat', true);
    const ips = readFixedIps(gateway, 'external_fixed_ips');
    if (networkId === undefined || snat === undefined || ips === undefined) return undefined;
    gatewayNetworkId = networkId;
    enableSnat = snat;
    gatewayIps = ips;
  }
  return {
    row: { id, name, projectId, hostId: null, gatewayNetworkId, enableSnat, routes, createdAt: reader.createdAt() },
    gatewayIps,
  };
}
