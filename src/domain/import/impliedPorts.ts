// Ports a document implies without listing them: the network:floatingip
// port that holds a floating IP's address, and a router's gateway port
// (from external_gateway_info.external_fixed_ips). A port of the document
// or, in MERGE mode, of the database (device_id = the floating IP or router)
// is used as is. A made port's id and MAC derive from its owner's id, so
// that importing the same document again finds the same port.
import { createHash } from 'node:crypto';
import { cidrContains } from '../addressing.js';
import { DEVICE_OWNER } from '../model.js';
import { uuid5 } from '../uuid5.js';
import type { Issues } from './issues.js';
import { groupBy } from './group.js';
import type { Cloud, FixedIpRow, PortRow } from './model.js';
import type { DocumentCloud } from './read.js';

/** fa:16:3e (Neutron's base_mac) and three octets from the port id, moved on while the network has it. */
function derivedMac(portId: string, taken: Set<string>): string {
  let tail = createHash('sha1').update(portId).digest().readUIntBE(0, 3);
  for (;;) {
    const hex = tail.toString(16).padStart(6, '0');
    const mac = `fa:16:3e:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
    if (!taken.has(mac)) return mac;
    tail = (tail + 1) % 0x1000000;
  }
}

class PortMaker {
  private macsByNetwork: Map<string, Set<string>> | null = null;

  constructor(private readonly cloud: Cloud) {}

  private macsOf(networkId: string): Set<string> {
    if (!this.macsByNetwork) {
      this.macsByNetwork = new Map();
      for (const port of this.cloud.ports.values()) {
        const macs = this.macsByNetwork.get(port.networkId) ?? new Set<string>();
        macs.add(port.macAddress);
        this.macsByNetwork.set(port.networkId, macs);
      }
    }
    const macs = this.macsByNetwork.get(networkId) ?? new Set<string>();
    this.macsByNetwork.set(networkId, macs);
    return macs;
  }

  make(fields: Pick<PortRow, 'id' | 'networkId' | 'projectId' | 'deviceOwner' | 'deviceId' | 'status' | 'routerId' | 'fixedIps'>): PortRow {
    const macAddress = derivedMac(fields.id, this.macsOf(fields.networkId));
    this.macsOf(fields.networkId).add(macAddress);
    const port: PortRow = {
      ...fields,
      name: '',
      macAddress,
      hostId: null,
      portSecurityEnabled: true,
      adminStateUp: true,
      instanceId: null,
      securityGroupIds: [],
      allowedAddressPairs: [],
      createdAt: null,
    };
    this.cloud.ports.set(port.id, port);
    return port;
  }
}

/** The ports of this device owner, by device_id. */
const portsByDevice = (cloud: Cloud, deviceOwner: string) =>
  groupBy([...cloud.ports.values()].filter((port) => port.deviceOwner === deviceOwner), (port) => port.deviceId.toLowerCase());

/**
 * Adds the implied ports to `cloud` (the merged cloud) and sets each
 * floating IP's floatingPortId. Made ports take the origin of their owner.
 */
export function addImpliedPorts(cloud: Cloud, document: DocumentCloud, issues: Issues): void {
  const maker = new PortMaker(cloud);
  const gatewayPorts = portsByDevice(cloud, DEVICE_OWNER.routerGateway);
  for (const [routerId, ips] of document.gatewayIps) {
    const router = cloud.routers.get(routerId);
    if (!router?.gatewayNetworkId || gatewayPorts.has(routerId)) continue;
    const path = document.origins.routers.get(routerId)!;
    if (ips.length === 0) {
      issues.add('INVALID', [...path, 'external_gateway_info', 'external_fixed_ips'], `router ${routerId}: the document has no network:router_gateway port for it and external_fixed_ips is empty`);
      continue;
    }
    const id = uuid5(`router-gateway:${routerId}`);
    maker.make({ id, networkId: router.gatewayNetworkId, projectId: router.projectId, deviceOwner: DEVICE_OWNER.routerGateway, deviceId: routerId, status: 'ACTIVE', routerId, fixedIps: ips });
    document.origins.ports.set(id, [...path, 'external_gateway_info']);
  }

  const floatingPorts = portsByDevice(cloud, DEVICE_OWNER.floatingIp);
  const subnetsByNetwork = groupBy(cloud.subnets.values(), (subnet) => subnet.networkId);
  const subnetsOf = (networkId: string) => subnetsByNetwork.get(networkId) ?? [];
  for (const [fipId, path] of document.origins.floatingIps) {
    const fip = cloud.floatingIps.get(fipId);
    if (!fip) continue;
    const listed = floatingPorts.get(fipId)?.[0];
    if (listed) {
      fip.floatingPortId = listed.id;
      continue;
    }
    const subnet = subnetsOf(fip.floatingNetworkId).find((s) => cidrContains(s.cidr, fip.floatingIpAddress));
    const fixedIps: FixedIpRow[] = subnet ? [{ subnetId: subnet.id, ipAddress: fip.floatingIpAddress }] : [];
    const id = uuid5(`floatingip:${fipId}`);
    maker.make({ id, networkId: fip.floatingNetworkId, projectId: fip.projectId, deviceOwner: DEVICE_OWNER.floatingIp, deviceId: fipId, status: 'DOWN', routerId: null, fixedIps });
    fip.floatingPortId = id;
    document.origins.ports.set(id, path);
  }
}
