// References the document leaves implicit: a port's server or router (its
// device_id) and an associated floating IP's fixed address and router.
import { DEVICE_OWNER } from '../model.js';
import { isUuid } from './fields.js';
import { pushTo } from './group.js';
import type { Issues } from './issues.js';
import type { Cloud } from './model.js';
import type { Origins } from './read.js';

export const isRouterPort = (deviceOwner: string) =>
  deviceOwner === DEVICE_OWNER.routerInterface || deviceOwner === DEVICE_OWNER.routerGateway;

/** Sets instanceId and routerId of the document's ports from their device_id. */
export function linkPorts(cloud: Cloud, origins: Origins): void {
  for (const id of origins.ports.keys()) {
    const port = cloud.ports.get(id);
    if (!port) continue;
    const deviceId = isUuid(port.deviceId) ? port.deviceId.toLowerCase() : null;
    if (port.deviceOwner.startsWith('compute:')) port.instanceId = deviceId && cloud.instances.has(deviceId) ? deviceId : null;
    if (isRouterPort(port.deviceOwner)) port.routerId = deviceId;
  }
}

/**
 * Completes the document's associated floating IPs as Neutron does on
 * association: the fixed address defaults to the port's first IPv4 address,
 * the router to the one that joins that address's subnet (an interface) to
 * the floating IP's network (its gateway).
 */
export function linkFloatingIps(cloud: Cloud, origins: Origins, issues: Issues): void {
  const routersOnSubnet = new Map<string, string[]>();
  for (const port of cloud.ports.values()) {
    if (port.deviceOwner !== DEVICE_OWNER.routerInterface || !port.routerId) continue;
    for (const ip of port.fixedIps) pushTo(routersOnSubnet, ip.subnetId, port.routerId);
  }
  for (const [id, path] of origins.floatingIps) {
    const fip = cloud.floatingIps.get(id);
    const port = fip?.portId ? cloud.ports.get(fip.portId) : undefined;
    if (!fip || !port) continue;
    const fixed = fip.fixedIpAddress
      ? port.fixedIps.find((ip) => ip.ipAddress === fip.fixedIpAddress)
      : port.fixedIps.find((ip) => cloud.subnets.get(ip.subnetId)?.ipVersion === 4);
    if (!fixed) continue;
    fip.fixedIpAddress = fixed.ipAddress;
    if (fip.routerId) continue;
    const routerId = (routersOnSubnet.get(fixed.subnetId) ?? []).find((r) => cloud.routers.get(r)?.gatewayNetworkId === fip.floatingNetworkId);
    if (routerId) fip.routerId = routerId;
    else issues.add('INVALID', [...path, 'router_id'], `floating IP ${id}: no router joins subnet ${fixed.subnetId} of port ${port.id} to external network ${fip.floatingNetworkId}`);
  }
}
