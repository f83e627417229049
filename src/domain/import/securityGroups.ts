// security_groups (with their security_group_rules) and security_group_rules
// -> SecurityGroup and SecurityGroupRule rows, checked as Neutron checks a
// rule: a port range only for port protocols, ICMP type/code for ICMP, a
// remote prefix of the rule's ethertype, a prefix or a group but not both.
import { parsePrefix } from '../addressing.js';
import { iptablesProtocol, isIcmp, PORT_PROTOCOLS } from '../firewall/protocols.js';
import { DIRECTIONS, ETHERTYPES, ruleProtocol } from './enums.js';
import type { ObjectReader } from './fields.js';
import type { RuleRow, SecurityGroupRow } from './model.js';

export function readSecurityGroup(reader: ObjectReader, id: string): SecurityGroupRow | undefined {
  const name = reader.string('name', '');
  const projectId = reader.project();
  const description = reader.string('description', '');
  if (name === undefined || projectId === undefined || description === undefined) return undefined;
  return { id, name, projectId, description, createdAt: reader.createdAt() };
}

function checkRange(reader: ObjectReader, protocol: string | null, ethertype: RuleRow['ethertype'], min: number | null, max: number | null): void {
  if (min === null && max === null) return;
  const name = iptablesProtocol(protocol, ethertype);
  if (isIcmp(name)) {
    if (min !== null && min > 255) reader.problem(['port_range_min'], 'an ICMP type is from 0 to 255');
    if (max !== null && max > 255) reader.problem(['port_range_max'], 'an ICMP code is from 0 to 255');
    if (min === null) reader.problem(['port_range_min'], 'an ICMP code needs an ICMP type');
  } else if (name !== null && PORT_PROTOCOLS.has(name)) {
    if (min === null || max === null) reader.problem(['port_range_max'], 'a port range needs both ends');
    else if (min < 1 || max > 65535) reader.problem(['port_range_min'], 'a port is from 1 to 65535');
    else if (min > max) reader.problem(['port_range_min'], `port_range_min ${min} is above port_range_max ${max}`);
  } else {
    reader.problem(['port_range_min'], `protocol ${protocol ?? 'any'} has no ports`);
  }
}

/** A rule; `groupId` is the enclosing group's id for nested rules. */
export function readRule(reader: ObjectReader, id: string, groupId: string | null): RuleRow | undefined {
  const securityGroupId = groupId && !reader.has('security_group_id') ? groupId : reader.uuid('security_group_id');
  if (groupId && securityGroupId && securityGroupId !== groupId) {
    reader.problem(['security_group_id'], `security_group_id ${securityGroupId} is not the enclosing group ${groupId}`);
  }
  const directionText = reader.string('direction');
  const direction = directionText === undefined ? undefined : DIRECTIONS[directionText];
  if (directionText !== undefined && !direction) reader.problem(['direction'], `direction '${directionText}' is not ingress or egress`);
  const ethertypeText = reader.string('ethertype', 'IPv4');
  const ethertype = ethertypeText === undefined ? undefined : ETHERTYPES[ethertypeText];
  if (ethertypeText !== undefined && !ethertype) reader.problem(['ethertype'], `ethertype '${ethertypeText}' is not IPv4 or IPv6`);
  const protocolText = reader.optionalString('protocol');
  const protocol = protocolText === undefined ? undefined : ruleProtocol(protocolText);
  if (protocolText !== undefined && protocol === undefined) reader.problem(['protocol'], `protocol '${protocolText}' is not a protocol name or number 0-255`);
  const min = reader.integer('port_range_min', 0, 65535);
  const max = reader.integer('port_range_max', 0, 65535);
  const prefixText = reader.optionalString('remote_ip_prefix');
  const remoteGroupId = reader.optionalUuid('remote_group_id');
  if (reader.has('remote_address_group_id')) reader.problem(['remote_address_group_id'], 'remote address groups are not modeled');
  if (securityGroupId === undefined || direction === undefined || ethertype === undefined || protocol === undefined) return undefined;
  if (min === undefined || max === undefined || prefixText === undefined || remoteGroupId === undefined) return undefined;

  checkRange(reader, protocol, ethertype, min, max);
  let remoteIpPrefix: string | null = null;
  if (prefixText) {
    const prefix = parsePrefix(prefixText);
    if (!prefix) reader.problem(['remote_ip_prefix'], `'${prefixText}' is not a CIDR`);
    else if ((prefix.version === 4) !== (ethertype === 'IPV4')) reader.problem(['remote_ip_prefix'], `${prefix.text} does not match ethertype ${ethertypeText}`);
    else remoteIpPrefix = prefix.text;
  }
  if (remoteIpPrefix && remoteGroupId) reader.problem(['remote_group_id'], 'a rule takes a remote prefix or a remote group, not both');
  return {
    id,
    securityGroupId,
    direction,
    ethertype,
    protocol,
    portRangeMin: min,
    portRangeMax: max,
    remoteIpPrefix,
    remoteGroupId,
    createdAt: reader.createdAt(),
  };
}
