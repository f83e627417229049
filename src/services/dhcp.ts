// DHCP scheduling: a network with a DHCP-enabled subnet gets one DHCP agent
// (a NETWORK host, fewest networks first, ties by name) and a network:dhcp
// port there with one address per DHCP subnet (qdhcp-<network id>).
import { DEVICE_OWNER } from '../domain/model.js';
import { randomMac } from '../domain/addressing.js';
import { bindPortToHost, releasePortBinding } from './binding.js';
import { allocateIp } from './ipam.js';
import { record } from './journal.js';
import type { Db } from './transaction.js';
import { randomUUID } from 'node:crypto';
import { uuid5 } from '../domain/uuid5.js';

/** neutron common utils get_dhcp_agent_device_id. */
export const dhcpDeviceId = (networkId: string, hostName: string) => `dhcp${uuid5(hostName)}-${networkId}`;

/** The NETWORK host with the fewest DHCP ports (ties by name), among hosts that are up. */
async function pickDhcpHost(db: Db) {
  const hosts = await db.host.findMany({
    where: { roles: { has: 'NETWORK' }, up: true },
    select: { id: true, name: true, up: true, roles: true, _count: { select: { ports: { where: { deviceOwner: DEVICE_OWNER.dhcp } } } } },
  });
  hosts.sort((a, b) => a._count.ports - b._count.ports || a.name.localeCompare(b.name));
  return hosts[0] ?? null;
}

/** Brings the network's DHCP port in line with its subnets: created, re-addressed or removed. */
export async function scheduleDhcp(db: Db, networkId: string): Promise<void> {
  const network = await db.network.findUniqueOrThrow({ where: { id: networkId } });
  const dhcpSubnets = await db.subnet.findMany({ where: { networkId, enableDhcp: true }, orderBy: { createdAt: 'asc' } });
  let port = await db.port.findFirst({ where: { networkId, deviceOwner: DEVICE_OWNER.dhcp }, include: { fixedIps: true } });
  if (dhcpSubnets.length === 0) {
    if (port) {
      await releasePortBinding(db, port);
      await db.port.delete({ where: { id: port.id } });
      for (const ip of port.fixedIps) record({ kind: 'IP_ADDRESS', change: 'RELEASED', portId: port.id, subnetId: ip.subnetId, ipAddress: ip.ipAddress });
      if (port.hostId) record({ kind: 'DHCP_PLACEMENT', change: 'RELEASED', networkId, hostId: port.hostId });
    }
    return;
  }
  if (!port) {
    const host = await pickDhcpHost(db);
    if (!host) return; // no DHCP agent anywhere: the network stays unscheduled, as in Neutron
    const created = await db.port.create({
      data: {
        id: randomUUID(),
        networkId,
        projectId: network.projectId,
        macAddress: randomMac(),
        deviceOwner: DEVICE_OWNER.dhcp,
        deviceId: dhcpDeviceId(networkId, host.name),
        portSecurityEnabled: false,
      },
    });
    await bindPortToHost(db, created, host);
    record({ kind: 'DHCP_PLACEMENT', change: 'ALLOCATED', networkId, hostId: host.id });
    port = { ...created, fixedIps: [] };
  }
  const wanted = new Set(dhcpSubnets.map((s) => s.id));
  await db.ipAllocation.deleteMany({ where: { portId: port.id, subnetId: { notIn: [...wanted] } } });
  const held = new Set(port.fixedIps.map((ip) => ip.subnetId));
  for (const subnet of dhcpSubnets) {
    if (held.has(subnet.id)) continue;
    const ipAddress = await allocateIp(db, subnet, null, ['networkId']);
    await db.ipAllocation.create({ data: { portId: port.id, subnetId: subnet.id, ipAddress } });
    record({ kind: 'IP_ADDRESS', change: 'ALLOCATED', portId: port.id, subnetId: subnet.id, ipAddress });
  }
}
