// floatingips -> FloatingIp rows. The network:floatingip port that holds the
// address is found (or made) when the document is linked.
import type { ObjectReader } from './fields.js';
import type { FloatingIpRow } from './model.js';

export function readFloatingIp(reader: ObjectReader, id: string): FloatingIpRow | undefined {
  const projectId = reader.project();
  const floatingNetworkId = reader.uuid('floating_network_id');
  const floatingIpAddress = reader.ip('floating_ip_address');
  const portId = reader.optionalUuid('port_id');
  const fixedIpAddress = reader.has('fixed_ip_address') ? reader.ip('fixed_ip_address') : null;
  const routerId = reader.optionalUuid('router_id');
  if (projectId === undefined || floatingNetworkId === undefined || floatingIpAddress === undefined) return undefined;
  if (portId === undefined || fixedIpAddress === undefined || routerId === undefined) return undefined;
  if (!portId && fixedIpAddress) reader.problem(['fixed_ip_address'], 'a floating IP without port_id maps no fixed address');
  return {
    id,
    projectId,
    floatingIpAddress,
    floatingNetworkId,
    floatingPortId: '',
    portId,
    fixedIpAddress: portId ? fixedIpAddress : null,
    routerId: portId ? routerId : null,
    createdAt: reader.createdAt(),
  };
}
