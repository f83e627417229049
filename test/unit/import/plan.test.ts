// What an import of the fixture decides: hosts and roles, placement of
// routers and DHCP ports, local VLANs, implied ports, and that importing the
// result again changes nothing.
import { uuid5 } from '../../../src/domain/uuid5.js';
import type { Cloud } from '../../../src/domain/import/model.js';
import { after, byName, loadFixture, plan, problemsOf } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const hostOf = (cloud: Cloud, name: string) => [...cloud.hosts.values()].find((h) => h.name === name)!;
const hostName = (cloud: Cloud, id: string | null) => (id ? cloud.hosts.get(id)!.name : null);
const withoutOwner = (doc: Json, owner: string): Json => ({ ...doc, ports: doc.ports.filter((p: Json) => p.device_owner !== owner) });
const agentOf = (doc: Json, type: string) => doc.agents.find((a: Json) => a.agent_type === type);

/** A second network node: its OVS, L3 and DHCP agents, copies of network1's. */
function withNetwork2(doc: Json): Json {
  const copies = doc.agents
    .filter((a: Json) => a.host === 'network1' && a.agent_type !== 'Metadata agent')
    .map((a: Json) => ({ ...a, id: uuid5(`${a.id}/2`), host: 'network2', l3_agent_routers: [], dhcp_agent_networks: [], configurations: { ...a.configurations, tunneling_ip: a.configurations.tunneling_ip ? '10.0.0.22' : undefined } }));
  return { ...doc, agents: [...doc.agents, ...copies] };
}

describe('importing the fixture', () => {
  const doc = loadFixture();
  const { cloud, report } = plan(doc);

  it('makes hosts of the agents, with roles and tunnel endpoints', () => {
    expect(hostOf(cloud, 'compute1')).toMatchObject({ roles: ['COMPUTE'], tunnelIp: '10.0.0.11', up: true, bridgeMappings: {} });
    expect(hostOf(cloud, 'network1')).toMatchObject({ roles: ['NETWORK'], tunnelIp: '10.0.0.21', bridgeMappings: { physnet1: 'br-ex' } });
    expect(hostOf(cloud, 'compute1').id).toBe(uuid5('host:compute1'));
    expect(report.hosts.created).toBe(3);
  });

  it('keeps ids, addresses, MACs and segments as given, and links ports to servers and routers', () => {
    const vm = doc.ports[0];
    expect(cloud.ports.get(vm.id)).toMatchObject({
      macAddress: vm.mac_address,
      fixedIps: [{ subnetId: vm.fixed_ips[0].subnet_id, ipAddress: vm.fixed_ips[0].ip_address }],
      instanceId: vm.device_id,
      hostId: hostOf(cloud, vm['binding:host_id']).id,
    });
    const qr = doc.ports.find((p: Json) => p.device_owner === 'network:router_interface');
    expect(cloud.ports.get(qr.id)!.routerId).toBe(qr.device_id);
    expect(cloud.networks.get(byName(doc, 'networks', 'web-net').id)).toMatchObject({ networkType: 'VXLAN', segmentationId: 57, mtu: 1450 });
    expect(cloud.networks.get(byName(doc, 'networks', 'public').id)).toMatchObject({ networkType: 'FLAT', segmentationId: null, physicalNetwork: 'physnet1', external: true });
  });

  it('gives each host a VLAN per network with a bound port, lowest first in network id order', () => {
    const compute1 = hostOf(cloud, 'compute1').id;
    const networks = [...new Set(doc.ports.filter((p: Json) => p['binding:host_id'] === 'compute1').map((p: Json) => p.network_id))].sort();
    const vlans = plan(doc).localVlans.allocated.filter((v) => v.hostId === compute1);
    expect(vlans.map((v) => [v.networkId, v.vlan])).toEqual(networks.map((n, i) => [n, i + 1]));
    expect(report.localVlans).toEqual({ allocated: 8, released: 0, kept: 0 });
  });

  it('runs routers and DHCP where the agents list them', () => {
    for (const router of cloud.routers.values()) expect(hostName(cloud, router.hostId)).toBe('network1');
    const dhcp = [...cloud.ports.values()].filter((p) => p.deviceOwner === 'network:dhcp');
    expect(dhcp.map((p) => hostName(cloud, p.hostId))).toEqual(['network1', 'network1', 'network1']);
  });

  it('changes nothing when imported again, in either mode', () => {
    const again = plan(doc, after(plan(doc)));
    expect(again.report.ports).toEqual({ created: 0, updated: 0, unchanged: doc.ports.length, deleted: 0 });
    expect(again.report.localVlans).toEqual({ allocated: 0, released: 0, kept: 8 });
    const replaced = plan(doc, after(plan(doc)), 'REPLACE');
    for (const kind of ['hosts', 'networks', 'subnets', 'securityGroups', 'securityGroupRules', 'instances', 'routers', 'ports', 'floatingIps'] as const) {
      expect([kind, replaced.report[kind].created + replaced.report[kind].updated + replaced.report[kind].deleted]).toEqual([kind, 0]);
    }
  });
});

describe('placement without hosting lists', () => {
  it('follows the bindings of the router and DHCP ports', () => {
    const doc = withNetwork2(loadFixture());
    const router = byName(doc, 'routers', 'router-b');
    for (const port of doc.ports.filter((p: Json) => p.device_id === router.id)) port['binding:host_id'] = 'network2';
    for (const agent of doc.agents) delete agent.l3_agent_routers;
    const { cloud } = plan(doc);
    expect(hostName(cloud, cloud.routers.get(router.id)!.hostId)).toBe('network2');
    expect(hostName(cloud, cloud.routers.get(byName(doc, 'routers', 'router-a').id)!.hostId)).toBe('network1');
  });

  it('schedules unbound routers on the least loaded network host, ties by name', () => {
    const doc = withNetwork2(loadFixture());
    for (const agent of doc.agents) delete agent.l3_agent_routers;
    for (const port of doc.ports.filter((p: Json) => p.device_owner.startsWith('network:router'))) port['binding:host_id'] = '';
    const { cloud } = plan(doc);
    const routers = [...cloud.routers.values()].sort((a, b) => a.id.localeCompare(b.id));
    expect(routers.map((r) => hostName(cloud, r.hostId))).toEqual(['network1', 'network2']);
    for (const port of cloud.ports.values()) if (port.routerId && port.deviceOwner.startsWith('network:router')) expect(port.hostId).toBe(cloud.routers.get(port.routerId)!.hostId);
  });

  it('lets the hosting list win over the bindings, and binds the router ports there', () => {
    const doc = withNetwork2(loadFixture());
    const router = byName(doc, 'routers', 'router-b');
    agentOf(doc, 'L3 agent').l3_agent_routers = [byName(doc, 'routers', 'router-a').id];
    doc.agents.find((a: Json) => a.host === 'network2' && a.agent_type === 'L3 agent').l3_agent_routers = [router.id];
    const { cloud } = plan(doc);
    expect(hostName(cloud, cloud.routers.get(router.id)!.hostId)).toBe('network2');
    const ports = [...cloud.ports.values()].filter((p) => p.routerId === router.id);
    expect(ports.map((p) => hostName(cloud, p.hostId))).toEqual(ports.map(() => 'network2'));
  });
});

describe('ports a document implies', () => {
  it('makes the network:floatingip port that holds a floating IP, the same one every time', () => {
    const doc = withoutOwner(loadFixture(), 'network:floatingip');
    const fip = doc.floatingips[0];
    const first = plan(doc);
    const port = first.cloud.ports.get(first.cloud.floatingIps.get(fip.id)!.floatingPortId)!;
    expect(port).toMatchObject({
      id: uuid5(`floatingip:${fip.id}`),
      deviceOwner: 'network:floatingip',
      deviceId: fip.id,
      networkId: fip.floating_network_id,
      fixedIps: [{ subnetId: expect.any(String), ipAddress: fip.floating_ip_address }],
      hostId: null,
    });
    expect(plan(doc).cloud.ports.get(port.id)!.macAddress).toBe(port.macAddress);
    expect(plan(doc, after(first)).report.ports.created).toBe(0);
  });

  it('makes a router gateway port from external_fixed_ips', () => {
    const doc = withoutOwner(loadFixture(), 'network:router_gateway');
    const router = byName(doc, 'routers', 'router-a');
    const { cloud } = plan(doc);
    const gateway = [...cloud.ports.values()].find((p) => p.routerId === router.id && p.deviceOwner === 'network:router_gateway')!;
    expect(gateway).toMatchObject({ id: uuid5(`router-gateway:${router.id}`), fixedIps: [{ ipAddress: '203.0.113.10', subnetId: router.external_gateway_info.external_fixed_ips[0].subnet_id }] });
    expect(hostName(cloud, gateway.hostId)).toBe('network1');
  });
});

describe('REPLACE', () => {
  it('deletes what the document does not contain and gives back its VLANs', () => {
    const full = loadFixture();
    const project = byName(full, 'routers', 'router-b').project_id;
    const mine = (o: Json) => o.project_id !== project && o.tenant_id !== project;
    const routerB = byName(full, 'routers', 'router-b').id;
    const reduced = {
      ...full,
      agents: full.agents.map((a: Json) => ({ ...a, l3_agent_routers: a.l3_agent_routers?.filter((id: string) => id !== routerB), dhcp_agent_networks: a.dhcp_agent_networks?.filter((id: string) => full.networks.find((n: Json) => n.id === id).project_id !== project) })),
      networks: full.networks.filter(mine),
      subnets: full.subnets.filter(mine),
      security_groups: full.security_groups.filter(mine),
      servers: full.servers.filter(mine),
      routers: full.routers.filter(mine),
      ports: full.ports.filter((p: Json) => mine(p) && p.device_id !== routerB && !full.floatingips.some((f: Json) => f.project_id === project && f.id === p.device_id)),
      floatingips: full.floatingips.filter(mine),
    };
    const before = after(plan(full));
    const replaced = plan(reduced, before, 'REPLACE');
    const { report } = replaced;
    expect(report.networks.deleted).toBe(1);
    expect(report.routers.deleted).toBe(1);
    expect(report.instances.deleted).toBe(2);
    expect(report.floatingIps.deleted).toBe(1);
    expect(report.ports.deleted).toBe(full.ports.length - reduced.ports.length);
    expect(report.networks.unchanged).toBe(3);
    // Project B's network leaves compute1, compute2 and network1; the other VLANs stay as they were.
    expect(report.localVlans).toEqual({ allocated: 0, released: 3, kept: 5 });
    const kept = new Set(before.localVlans.map((v) => `${v.hostId}/${v.networkId}/${v.vlan}`));
    expect(after(replaced, before).localVlans.every((v) => kept.has(`${v.hostId}/${v.networkId}/${v.vlan}`))).toBe(true);
  });
});

describe('MERGE', () => {
  it('resolves references against the database, which REPLACE does not keep', () => {
    const base = after(plan(loadFixture()));
    const vm = loadFixture().ports[0];
    const extra = {
      ...vm,
      id: '3c1d5e7f-9a2b-4c6d-8e0f-1a2b3c4d5e6f',
      mac_address: 'fa:16:3e:00:00:99',
      fixed_ips: [{ subnet_id: vm.fixed_ips[0].subnet_id, ip_address: vm.fixed_ips[0].ip_address.replace(/\d+$/, '99') }],
    };
    const { report } = plan({ ports: [extra] }, base);
    expect(report.ports).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
    expect(report.networks).toEqual({ created: 0, updated: 0, unchanged: 0, deleted: 0 });
    expect(report.localVlans).toEqual({ allocated: 0, released: 0, kept: 8 });
    const fields = problemsOf({ ports: [extra] }, base, 'REPLACE').map((e) => e.field!.slice(2).join('.'));
    expect(fields).toEqual(['ports.0.binding:host_id']);
  });
});

describe('hosting lists and warnings', () => {
  it('puts each DHCP port on the listing agent its device_id names', () => {
    const doc = withNetwork2(loadFixture());
    const network = byName(doc, 'networks', 'app-net');
    const first = doc.ports.find((p: Json) => p.device_owner === 'network:dhcp' && p.network_id === network.id);
    // The second sorts after the first, but its device_id names network1's agent.
    const second = { ...first, id: 'ffffffff-9c0d-4e1f-8a2b-3c4d5e6f7a8b', mac_address: 'fa:16:3e:00:00:98', fixed_ips: [{ ...first.fixed_ips[0], ip_address: '10.20.0.3' }], 'binding:host_id': '' };
    first.device_id = `dhcp${uuid5('network2')}-${network.id}`;
    doc.ports.push(second);
    for (const agent of doc.agents.filter((a: Json) => a.agent_type === 'DHCP agent')) agent.dhcp_agent_networks = [network.id];
    const { cloud } = plan(doc);
    expect(hostName(cloud, cloud.ports.get(first.id)!.hostId)).toBe('network2');
    expect(hostName(cloud, cloud.ports.get(second.id)!.hostId)).toBe('network1');
  });

  it('warns of routers the model runs as legacy ones', () => {
    const doc = loadFixture();
    doc.routers[0].ha = true;
    expect(plan(doc).report.warnings).toEqual([`router ${doc.routers[0].id} is HA; the model runs it as a legacy router on one L3 agent host`]);
  });
});
