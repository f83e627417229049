// subnets -> Subnet rows: a canonical CIDR, its IP version, a gateway inside
// it, its host routes.
import { cidrContains, ipVersion, parseCidr } from '../addressing.js';
import type { HostRoute } from '../model.js';
import { readObjects, type ObjectReader } from './fields.js';
import type { SubnetRow } from './model.js';

export function readSubnet(reader: ObjectReader, id: string, projectOfNetwork: (id: string) => string | undefined): SubnetRow | undefined {
  const networkId = reader.uuid('network_id');
  const name = reader.string('name', '');
  const cidrText = reader.string('cidr');
  const gatewayIp = reader.has('gateway_ip') ? reader.ip('gateway_ip') : null;
  const enableDhcp = reader.boolean('enable_dhcp', true);
  const ipVersion = reader.integer('ip_version', 4, 6);
  const projectId = reader.project(networkId ? projectOfNetwork(networkId) : undefined);
  if (networkId === undefined || name === undefined || cidrText === undefined || gatewayIp === undefined) return undefined;
  const hostRoutes = readHostRoutes(reader);
  if (enableDhcp === undefined || ipVersion === undefined || projectId === undefined || hostRoutes === undefined) return undefined;
  const parsed = parseCidr(cidrText);
  if ('error' in parsed) {
    reader.problem(['cidr'], parsed.error);
    return undefined;
  }
  const { cidr } = parsed;
  if (ipVersion !== null && ipVersion !== cidr.version) reader.problem(['ip_version'], `ip_version ${ipVersion} does not match ${cidr.text}`);
  if (gatewayIp) {
    if (!cidrContains(cidr, gatewayIp)) reader.problem(['gateway_ip'], `gateway ${gatewayIp} is outside ${cidr.text}`);
    else if (`${gatewayIp}/${cidr.prefix}` === cidr.text && cidr.prefix < (cidr.version === 4 ? 31 : 127)) {
      reader.problem(['gateway_ip'], `gateway ${gatewayIp} is the network address of ${cidr.text}`);
    }
  }
  return {
    id,
    name,
    networkId,
    projectId,
    cidr: cidr.text,
    ipVersion: cidr.version,
    gatewayIp,
    enableDhcp,
    hostRoutes,
    createdAt: reader.createdAt(),
  };
}

function readHostRoutes(reader: ObjectReader): HostRoute[] | undefined {
  return readObjects<HostRoute>(reader, 'host_routes', () => 'a host route must be an object', (route) => {
    const destination = route.string('destination');
    const nexthop = route.ip('nexthop');
    if (destination === undefined || nexthop === undefined) return undefined;
    const parsed = parseCidr(destination);
    if ('error' in parsed) {
      route.problem(['destination'], parsed.error);
      return undefined;
    }
    if (parsed.cidr.version !== ipVersion(nexthop)) {
      route.problem(['nexthop'], `${nexthop} is not of the IP version of ${parsed.cidr.text}`);
      return undefined;
    }
    return { destination: parsed.cidr.text, nexthop };
  });
}
