// subnets -> Subnet rows: a canonical CIDR, its IP version, a gateway inside it.
import { cidrContains, parseCidr } from '../addressing.js';
import type { ObjectReader } from './fields.js';
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
  if (enableDhcp === undefined || ipVersion === undefined || projectId === undefined) return undefined;
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
    createdAt: reader.createdAt(),
  };
}
