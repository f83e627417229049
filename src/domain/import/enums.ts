// Neutron's enumerations and ours, both ways.
import { protocolNumber } from '../firewall/protocols.js';
import type { Direction, Ethertype, NetworkType, PortStatus } from '../model.js';

export const NETWORK_TYPES: Record<string, NetworkType> = {
  vxlan: 'VXLAN',
  gre: 'GRE',
  geneve: 'GENEVE',
  vlan: 'VLAN',
  flat: 'FLAT',
};

export const neutronNetworkType = (type: NetworkType) => type.toLowerCase();

/** ERROR and N/A (unbound router and floating IP ports) have no counterpart: such a port is DOWN. */
export function portStatus(status: unknown): PortStatus {
  return status === 'ACTIVE' || status === 'BUILD' ? status : 'DOWN';
}

export const DIRECTIONS: Record<string, Direction> = { ingress: 'INGRESS', egress: 'EGRESS' };

export const ETHERTYPES: Record<string, Ethertype> = { IPv4: 'IPV4', IPv6: 'IPV6' };

export const neutronEthertype = (ethertype: Ethertype) => (ethertype === 'IPV4' ? 'IPv4' : 'IPv6');

/**
 * A rule's protocol as the model keeps it: null for any, a name or number
 * Neutron accepts as given (lower case), undefined for anything else.
 */
export function ruleProtocol(protocol: string | null): string | null | undefined {
  if (protocol === null || protocol === '' || protocol.toLowerCase() === 'any') return null;
  const text = /^\d{1,3}$/.test(protocol) ? String(Number(protocol)) : protocol.toLowerCase();
  const number = protocolNumber(text, 'IPV4');
  return number !== null && number >= 0 && number <= 255 ? text : undefined;
}
