// ports -> Port rows with their fixed IPs, security groups and allowed
// address pairs. A port is bound (wired on its host) when binding:host_id
// names a host and binding:vif_type is not unbound or binding_failed.
import { isMacAddress, normalizeMac, parsePrefix } from '../addressing.js';
import { portStatus } from './enums.js';
import { isUuid, readFixedIps, readObjects, type ObjectReader } from './fields.js';
import type { AddressPairRow, FixedIpRow, PortRow } from './model.js';

export const byFixedIp = (a: FixedIpRow, b: FixedIpRow) => a.subnetId.localeCompare(b.subnetId) || a.ipAddress.localeCompare(b.ipAddress);

export const BINDING_HOST = 'binding:host_id';
const UNWIRED_VIF_TYPES = new Set(['unbound', 'binding_failed']);

export interface PortLookups {
  hostIdOf(name: string): string | undefined;
  projectOfNetwork(id: string): string | undefined;
}

function readSecurityGroupIds(reader: ObjectReader): string[] | undefined {
  const list = reader.list('security_groups');
  if (list === undefined) return undefined;
  const ids: string[] = [];
  for (const [i, id] of list.entries()) {
    if (!isUuid(id)) {
      reader.problem(['security_groups', String(i)], `security group '${String(id)}' is not a UUID`);
      return undefined;
    }
    if (!ids.includes(id.toLowerCase())) ids.push(id.toLowerCase());
  }
  return ids;
}

function readAddressPairs(reader: ObjectReader): AddressPairRow[] | undefined {
  return readObjects<AddressPairRow>(reader, 'allowed_address_pairs', () => 'an address pair must be an object', (pair, before) => {
    const ipText = pair.string('ip_address');
    const macText = pair.optionalString('mac_address');
    if (ipText === undefined || macText === undefined) return undefined;
    const prefix = parsePrefix(ipText);
    if (!prefix) {
      pair.problem(['ip_address'], `'${ipText}' is not an address or CIDR`);
      return undefined;
    }
    if (macText && !isMacAddress(macText)) {
      pair.problem(['mac_address'], `'${macText}' is not a unicast MAC address`);
      return undefined;
    }
    const ipAddress = prefix.prefix === (prefix.version === 4 ? 32 : 128) ? prefix.text.split('/')[0] : prefix.text;
    if (before.some((p) => p.ipAddress === ipAddress)) {
      pair.problem(['ip_address'], `${ipAddress} is listed twice`, 'CONFLICT');
      return undefined;
    }
    return { ipAddress, macAddress: macText ? normalizeMac(macText) : null };
  });
}

function readHostId(reader: ObjectReader, lookups: PortLookups): string | null | undefined {
  const hostName = reader.optionalString(BINDING_HOST);
  const vifType = reader.optionalString('binding:vif_type');
  if (hostName === undefined || vifType === undefined) return undefined;
  if (!hostName || (vifType && UNWIRED_VIF_TYPES.has(vifType))) return null;
  const hostId = lookups.hostIdOf(hostName);
  if (!hostId) {
    reader.problem([BINDING_HOST], `host '${hostName}' is not a host of the document (no agent runs there) or of the database`, 'NOT_FOUND');
    return undefined;
  }
  return hostId;
}

export function readPort(reader: ObjectReader, id: string, lookups: PortLookups): PortRow | undefined {
  const networkId = reader.uuid('network_id');
  const name = reader.string('name', '');
  const projectId = reader.project(networkId ? lookups.projectOfNetwork(networkId) : undefined);
  const macAddress = reader.mac('mac_address');
  const deviceOwner = reader.string('device_owner', '');
  const deviceId = reader.string('device_id', '');
  const fixedIps = readFixedIps(reader, 'fixed_ips');
  const securityGroupIds = readSecurityGroupIds(reader);
  const portSecurityEnabled = reader.boolean('port_security_enabled', true);
  const adminStateUp = reader.boolean('admin_state_up', true);
  const allowedAddressPairs = readAddressPairs(reader);
  const hostId = readHostId(reader, lookups);
  if (networkId === undefined || name === undefined || projectId === undefined || macAddress === undefined) return undefined;
  if (deviceOwner === undefined || deviceId === undefined || fixedIps === undefined || securityGroupIds === undefined) return undefined;
  if (portSecurityEnabled === undefined || adminStateUp === undefined || allowedAddressPairs === undefined || hostId === undefined) return undefined;
  if (!portSecurityEnabled && securityGroupIds.length > 0) reader.problem(['security_groups'], 'a port without port security takes no security groups');
  if (!portSecurityEnabled && allowedAddressPairs.length > 0) reader.problem(['allowed_address_pairs'], 'allowed address pairs need port security');
  return {
    id,
    name,
    networkId,
    projectId,
    macAddress,
    deviceOwner,
    deviceId,
    status: portStatus(reader.object.status),
    hostId,
    portSecurityEnabled,
    adminStateUp,
    instanceId: null,
    routerId: null,
    // Canonical order: the database keeps these as sets.
    fixedIps: fixedIps.sort(byFixedIp),
    securityGroupIds: securityGroupIds.sort(),
    allowedAddressPairs: allowedAddressPairs.sort((a, b) => a.ipAddress.localeCompare(b.ipAddress)),
    createdAt: reader.createdAt(),
  };
}
