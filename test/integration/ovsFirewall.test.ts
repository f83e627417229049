// The Open vSwitch firewall driver over HTTP: a host with firewallDriver
// OPENVSWITCH plugs its VM's tap straight into br-int (docs/neutron-model.md,
// "The Open vSwitch firewall driver").
import { startTestServer, type TestServer } from '../support/testServer.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exportDocument } from '../../src/services/export.js';
import { buildPathCloud } from '../support/pathCloud.js';
import { bootInstance, createNetwork, createSubnet, registerHost, USER_ERRORS } from '../support/fixtures.js';

let s: TestServer;
let fwVm: { id: string; ports: { id: string }[] };
let hybridVm: { id: string; ports: { id: string }[] };
const short = (id: string) => id.slice(0, 11);

beforeAll(async () => {
  s = await startTestServer();
  const l2pop = { l2Population: true, arpResponder: true };
  await registerHost(s, 'compute-1', '10.0.0.11', ['COMPUTE'], l2pop);
  await registerHost(s, 'compute-3', '10.0.0.13', ['COMPUTE'], { ...l2pop, firewallDriver: 'OPENVSWITCH' });
  const net1 = await createNetwork(s, { name: 'net1', segmentationId: 0x39 });
  await createSubnet(s, { networkId: net1.id, cidr: '10.0.1.0/24', enableDhcp: false });
  fwVm = await bootInstance(s, { name: 'direct', hostName: 'compute-3', networks: [{ networkId: net1.id, fixedIp: '10.0.1.5' }] });
  hybridVm = await bootInstance(s, { name: 'bridged', hostName: 'compute-1', networks: [{ networkId: net1.id, fixedIp: '10.0.1.6' }] });
  // A VM outside the default group, whose traffic the default group's remote-group rule does not let in.
  const web = (await s.gql(`mutation { createSecurityGroup(input: { name: "web", projectId: "p1" }) { securityGroup { id } } }`)).createSecurityGroup.securityGroup.id;
  await bootInstance(s, { name: 'outsider', hostName: 'compute-1', networks: [{ networkId: net1.id, fixedIp: '10.0.1.7' }], securityGroupIds: [web] });
});
afterAll(async () => s?.stop());

describe('the plug', () => {
  it('puts the tap on br-int, with no qbr, qvb or qvo', async () => {
    const port = fwVm.ports[0].id;
    const data = await s.gql(`query($p: ID!) {
      host(name: "compute-3") { firewallDriver brctlShow ovsVsctlShow bridges { name ports { name type tag ofport } } }
      port: node(id: $p) { ... on Port { devices { name tap qbr qvb qvo } } } }`, { p: port });
    expect(data.host.firewallDriver).toBe('OPENVSWITCH');
    expect(data.port.devices).toEqual({ name: `tap${short(port)}`, tap: `tap${short(port)}`, qbr: null, qvb: null, qvo: null });
    expect(data.host.brctlShow).toBe('bridge name\tbridge id\t\tSTP enabled\tinterfaces\n');
    const brInt = data.host.bridges.find((b: { name: string }) => b.name === 'br-int');
    expect(brInt.ports).toContainEqual({ name: `tap${short(port)}`, type: 'system', tag: 1, ofport: 3 });
    expect(brInt.ports.map((p: { name: string }) => p.name)).not.toContain(`qvo${short(port)}`);
    expect(data.host.ovsVsctlShow).toContain(`        Port tap${short(port)}\n            tag: 1\n            Interface tap${short(port)}\n`);
  });

  it('leaves a hybrid host as it was', async () => {
    const port = hybridVm.ports[0].id;
    const data = await s.gql(`query($p: ID!) { host(name: "compute-1") { firewallDriver brctlShow } port: node(id: $p) { ... on Port { devices { tap qbr qvb qvo } } } }`, { p: port });
    expect(data.host.firewallDriver).toBe('IPTABLES_HYBRID');
    expect(data.port.devices).toEqual({ tap: `tap${short(port)}`, qbr: `qbr${short(port)}`, qvb: `qvb${short(port)}`, qvo: `qvo${short(port)}` });
    expect(data.host.brctlShow).toContain(`qbr${short(port)}`);
  });
});

describe('the conntrack flows', () => {
  it('puts the port in table 60, its base tables 71/81 and its default group as conjunctions in 82', async () => {
    const port = fwVm.ports[0].id;
    const tap = `"tap${short(port)}"`;
    const data = await s.gql(`query($p: ID!) { host(name: "compute-3") { dumpFlows(bridge: "br-int") }
      port: node(id: $p) { ... on Port { macAddress firewall { driver filtered openflow iptables } } } }`, { p: port });
    const { macAddress: mac, firewall } = data.port;
    expect(firewall).toMatchObject({ driver: 'OPENVSWITCH', filtered: true, iptables: '' });
    const lines = firewall.openflow.split('\n').map((l: string) => l.replace(/^ cookie=0x[0-9a-f]+, /, ''));
    // The default group's two remote-group rules (IPv4, IPv6) take conj ids 8 and 16 in rule order; the new-connection id is one more.
    const conj = Number(/priority=70,ct_state=\+new-est,ip,reg5=0x3 actions=conjunction\((\d+),2\/2\)/.exec(firewall.openflow)?.[1]);
    expect([9, 17]).toContain(conj);
    expect(lines).toEqual(expect.arrayContaining([
      `table=60, priority=100,in_port=${tap} actions=set_field:0x3->reg5,set_field:0x1->reg6,resubmit(,71)`,
      `table=60, priority=90,dl_vlan=1,dl_dst=${mac} actions=set_field:0x3->reg5,set_field:0x1->reg6,strip_vlan,resubmit(,81)`,
      `table=71, priority=95,arp,reg5=0x3,in_port=${tap},dl_src=${mac},arp_spa=10.0.1.5 actions=resubmit(,94)`,
      `table=71, priority=65,ip,reg5=0x3,in_port=${tap},dl_src=${mac},nw_src=10.0.1.5 actions=ct(table=72,zone=NXM_NX_REG6[0..15])`,
      `table=71, priority=10,reg5=0x3,in_port=${tap} actions=ct_clear,resubmit(,93)`,
      'table=72, priority=74,ct_state=+new-est,ip,reg5=0x3 actions=resubmit(,73)',
      'table=72, priority=50,ct_state=+est-rel+rpl,ct_zone=1,ct_mark=0,reg5=0x3 actions=resubmit(,94)',
      'table=73, priority=90,ct_state=+new-est,ip,reg5=0x3 actions=ct(commit,zone=NXM_NX_REG6[0..15]),resubmit(,91)',
      'table=81, priority=90,ct_state=-trk,ip,reg5=0x3 actions=ct(table=82,zone=NXM_NX_REG6[0..15])',
      `table=82, priority=70,ct_state=+new-est,ip,reg5=0x3 actions=conjunction(${conj},2/2)`,
      `table=82, priority=70,conj_id=${conj},ct_state=+new-est,ip,reg5=0x3 actions=set_field:0x${conj.toString(16)}->reg7,ct(commit,zone=NXM_NX_REG6[0..15]),output:${tap},resubmit(,92)`,
      `table=82, priority=70,ct_state=+new-est,ip,reg6=0x1,nw_src=10.0.1.5 actions=conjunction(${conj},1/2)`,
      `table=82, priority=70,ct_state=+new-est,ip,reg6=0x1,nw_src=10.0.1.6 actions=conjunction(${conj},1/2)`,
      'table=82, priority=40,ct_state=-est,reg5=0x3 actions=resubmit(,93)',
    ]));
    // The driver's own drops and NORMAL are the bridge's, not the port's; no anti-spoofing in tables 24/25 (the driver does it).
    expect(data.host.dumpFlows).toContain(' table=93, priority=0 actions=drop\n');
    expect(data.host.dumpFlows).toContain(' table=94, priority=1 actions=NORMAL\n');
    expect(data.host.dumpFlows).not.toMatch(/table=25,/);
  });
});

const PATH = `query($f: EndpointInput!, $t: EndpointInput!) { path(from: $f, to: $t, flow: { protocol: ICMP }) {
  verdict dropReason explanation hops { host { name } device kind vlan action } } }`;
const hopsOf = (path: { hops: { host: { name: string } | null; device: string; kind: string; vlan: number | null; action: string }[] }) =>
  path.hops.map((h) => [h.host?.name ?? null, h.device, h.kind, h.vlan]);

describe('paths through the OVS firewall', () => {
  it('sends from the tap through br-int\'s egress tables, and delivers through its ingress tables', async () => {
    const tap = `tap${short(fwVm.ports[0].id)}`;
    const there = (await s.gql(PATH, { f: { instance: 'direct' }, t: { instance: 'bridged' } })).path;
    expect(there.verdict).toBe('DELIVERED');
    expect(hopsOf(there).slice(0, 4)).toEqual([
      ['compute-3', 'direct', 'VNIC', null],
      ['compute-3', tap, 'TAP', null],
      ['compute-3', 'br-int', 'OVS_BRIDGE', 1],
      ['compute-3', 'br-int', 'OVS_BRIDGE', 1],
    ]);
    expect(there.hops[2].action).toMatch(/^tables 60 -> 71 -> 72 \(ct zone 1\): security group egress: allowed by rule [0-9a-f-]+ of security group default: egress any to 0\.0\.0\.0\/0$/);
    const back = (await s.gql(PATH, { f: { instance: 'bridged' }, t: { instance: 'direct' } })).path;
    expect(back.verdict).toBe('DELIVERED');
    expect(hopsOf(back).slice(-4)).toEqual([
      ['compute-3', 'br-int', 'OVS_BRIDGE', 1],
      ['compute-3', 'br-int', 'OVS_BRIDGE', 1],
      ['compute-3', tap, 'TAP', null],
      ['compute-3', 'direct', 'VNIC', null],
    ]);
    expect(back.hops.at(-4).action).toBe(`switch on local VLAN 1 to ${tap}`);
    expect(back.hops.at(-3).action).toMatch(/^tables 81 -> 82 \(ct zone 1\): security group ingress: allowed by rule [0-9a-f-]+ of security group default: ingress any from IPv4 addresses of security group default$/);
    expect(back.hops.map((h: { device: string }) => h.device).filter((d: string) => /^q(br|vb|vo)/.test(d) && d.endsWith(short(fwVm.ports[0].id)))).toEqual([]);
  });

  it('drops in br-int\'s ingress tables what no rule lets in, with the same reason as the hybrid driver', async () => {
    const path = (await s.gql(PATH, { f: { instance: 'outsider' }, t: { instance: 'direct' } })).path;
    expect(path.verdict).toBe('DROPPED');
    expect(path.dropReason).toBe('SECURITY_GROUP_INGRESS');
    expect(hopsOf(path).at(-1)).toEqual(['compute-3', 'br-int', 'OVS_BRIDGE', 1]);
    expect(path.hops.at(-1).action).toMatch(/^tables 81 -> 82 \(ct zone 1\): security group ingress: dropped, no ingress rule of security groups default \([0-9a-f-]+\) allows icmp from 10\.0\.1\.7 to port/);
  });
});

describe('import and export', () => {
  type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  let other: TestServer;
  beforeAll(async () => {
    other = await startTestServer({ MAX_BODY_BYTES: String(4 * 1024 * 1024) });
  });
  afterAll(async () => other?.stop());

  it('reads ovs_hybrid_plug false from the bound ports, plugs their taps into br-int, and writes it back', async () => {
    const doc: Json = JSON.parse(readFileSync(path.join(process.cwd(), 'test/fixtures/neutron-cloud.json'), 'utf8'));
    // compute2 under the OVS firewall, its agent silent about it: only its ports' bindings say so.
    delete doc.agents.find((a: Json) => a.host === 'compute2' && a.agent_type === 'Open vSwitch agent').configurations.ovs_hybrid_plug;
    const bound = doc.ports.filter((p: Json) => p['binding:host_id'] === 'compute2');
    for (const p of bound) p['binding:vif_details'].ovs_hybrid_plug = false;
    const imported = await other.gql(`mutation($i: ImportNeutronInput!) { importNeutron(input: $i) { ${USER_ERRORS} } }`, { i: { document: doc, mode: 'MERGE' } });
    expect(imported.importNeutron.userErrors).toEqual([]);

    const vmPort = bound.find((p: Json) => String(p.device_owner).startsWith('compute:'));
    const data = await other.gql(`query($p: ID!) { c1: host(name: "compute1") { firewallDriver } c2: host(name: "compute2") { firewallDriver brctlShow }
      port: node(id: $p) { ... on Port { devices { tap qvo } firewall { driver } } } }`, { p: vmPort.id });
    expect([data.c1.firewallDriver, data.c2.firewallDriver]).toEqual(['IPTABLES_HYBRID', 'OPENVSWITCH']);
    expect(data.port).toEqual({ devices: { tap: `tap${short(vmPort.id)}`, qvo: null }, firewall: { driver: 'OPENVSWITCH' } });
    expect(data.c2.brctlShow).toBe('bridge name\tbridge id\t\tSTP enabled\tinterfaces\n');

    const exported = (await exportDocument(other.db.prisma)) as unknown as Json;
    const agentOf = (host: string) => exported.agents.find((a: Json) => a.host === host && a.agent_type === 'Open vSwitch agent');
    expect([agentOf('compute1').configurations.ovs_hybrid_plug, agentOf('compute2').configurations.ovs_hybrid_plug]).toEqual([true, false]);
    const plugs = exported.ports.filter((p: Json) => p['binding:host_id'] === 'compute2').map((p: Json) => p['binding:vif_details'].ovs_hybrid_plug);
    expect(plugs).toEqual(bound.map(() => false));
  });
});

describe('the demo cloud', () => {
  let demo: TestServer;
  beforeAll(async () => {
    demo = await startTestServer();
    await buildPathCloud(demo);
  });
  afterAll(async () => demo?.stop());

  it('has compute-3 under the OVS firewall, whose VM direct is reached through br-int\'s tables, or dropped there', async () => {
    const data = await demo.gql(`{ host(name: "compute-3") { firewallDriver brctlShow instances { name ports { id devices { tap qbr qvo } firewall { driver filtered } } } } }`);
    expect(data.host.firewallDriver).toBe('OPENVSWITCH');
    expect(data.host.brctlShow).toBe('bridge name\tbridge id\t\tSTP enabled\tinterfaces\n');
    const [direct] = data.host.instances;
    expect(direct.name).toBe('direct');
    expect(direct.ports[0].devices).toEqual({ tap: `tap${short(direct.ports[0].id)}`, qbr: null, qvo: null });
    expect(direct.ports[0].firewall).toEqual({ driver: 'OPENVSWITCH', filtered: true });

    const allowed = (await demo.gql(PATH, { f: { instance: 'test' }, t: { instance: 'direct' } })).path;
    expect(allowed.verdict).toBe('DELIVERED');
    expect(allowed.hops.at(-3)).toMatchObject({ host: { name: 'compute-3' }, device: 'br-int', kind: 'OVS_BRIDGE' });
    expect(allowed.hops.at(-3).action).toMatch(/^tables 81 -> 82 \(ct zone 1\): security group ingress: allowed by rule .* from IPv4 addresses of security group default$/);
    const denied = (await demo.gql(PATH, { f: { instance: 'web' }, t: { instance: 'direct' } })).path;
    expect([denied.verdict, denied.dropReason]).toEqual(['DROPPED', 'SECURITY_GROUP_INGRESS']);
    expect(denied.hops.at(-1)).toMatchObject({ host: { name: 'compute-3' }, device: 'br-int', kind: 'OVS_BRIDGE' });
  });
});
