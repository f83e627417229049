// A document with problems is refused whole, with every problem at the path
// of its field and a message naming the object.
import { loadFixture, problemsOf } from './helpers.js';

const NETWORK_ID = '00000000-0000-4000-8000-0000000000aa';

describe('a refused document', () => {
  it('names the port and the field of a port on an unknown network', () => {
    const doc = loadFixture();
    doc.ports[3].network_id = NETWORK_ID;
    const errors = problemsOf(doc);
    expect(errors).toContainEqual({
      code: 'NOT_FOUND',
      field: ['input', 'document', 'ports', '3', 'network_id'],
      message: `port ${doc.ports[3].id}: network_id ${NETWORK_ID} is not a network of the document or the database`,
    });
  });

  it('reports every problem at once', () => {
    const doc = loadFixture();
    delete doc.networks[1]['provider:network_type'];
    delete doc.ports[0].mac_address;
    doc.ports[1].fixed_ips[0].ip_address = '192.0.2.7';
    doc.subnets[2].gateway_ip = '172.16.0.1';
    const fields = problemsOf(doc).map((e) => e.field!.slice(2).join('.'));
    expect(fields).toEqual(expect.arrayContaining([
      'networks.1.provider:network_type',
      'ports.0.mac_address',
      'ports.1.fixed_ips.0.ip_address',
      'subnets.2.gateway_ip',
    ]));
  });

  it('does not repeat an unreadable object’s problem at each reference to it', () => {
    const doc = loadFixture();
    doc.subnets[1].cidr = '10.10.0.7/24';
    const errors = problemsOf(doc);
    expect(errors).toEqual([
      { code: 'INVALID', field: ['input', 'document', 'subnets', '1', 'cidr'], message: `subnet ${doc.subnets[1].id}: '10.10.0.7/24' has host bits set; use '10.10.0.0/24'` },
    ]);
  });

  it("names a subnet's bad host route by its index and field", () => {
    const doc = loadFixture();
    doc.subnets[1].host_routes = [{ destination: '10.9.0.0/16', nexthop: '10.10.0.254' }, { destination: '10.9.0.0/16', nexthop: 'fe80::1' }, { destination: '10.8.0.7/16', nexthop: '10.10.0.254' }];
    expect(problemsOf(doc).map((e) => [e.field!.slice(2).join('.'), e.message])).toEqual([
      ['subnets.1.host_routes.1.nexthop', `subnet ${doc.subnets[1].id}: fe80::1 is not of the IP version of 10.9.0.0/16`],
    ]);
    doc.subnets[1].host_routes = [{ destination: '10.8.0.7/16', nexthop: '10.10.0.254' }];
    expect(problemsOf(doc).map((e) => e.field!.slice(2).join('.'))).toEqual(['subnets.1.host_routes.0.destination']);
  });

  it('refuses duplicate ids, MACs, addresses and segments', () => {
    const doc = loadFixture();
    doc.ports.push({ ...doc.ports[0] });
    doc.ports[2].mac_address = doc.ports[3].mac_address;
    doc.ports[2].network_id = doc.ports[3].network_id;
    doc.ports[2].fixed_ips = doc.ports[3].fixed_ips;
    doc.networks[2]['provider:segmentation_id'] = doc.networks[1]['provider:segmentation_id'];
    const errors = problemsOf(doc);
    const at = (path: string) => errors.find((e) => e.field!.slice(2).join('.') === path);
    expect(at(`ports.${doc.ports.length - 1}.id`)?.code).toBe('CONFLICT');
    expect(at('ports.3.mac_address')?.message).toContain(`is already used by port ${doc.ports[2].id}`);
    expect(at('ports.3.fixed_ips.0.ip_address')?.message).toContain(`is already used by port ${doc.ports[2].id}`);
    expect(at('networks.2.provider:segmentation_id')?.message).toBe(
      `network ${doc.networks[2].id}: vxlan segment 57 is already held by network ${doc.networks[1].id}`,
    );
  });

  it('refuses a binding to a host no agent runs on', () => {
    const doc = loadFixture();
    doc.ports[0]['binding:host_id'] = 'compute9';
    expect(problemsOf(doc)).toContainEqual({
      code: 'NOT_FOUND',
      field: ['input', 'document', 'ports', '0', 'binding:host_id'],
      message: `port ${doc.ports[0].id}: host 'compute9' is not a host of the document (no agent runs there) or of the database`,
    });
  });

  it('refuses network types and rules the model does not have', () => {
    const doc = loadFixture();
    doc.networks[1]['provider:network_type'] = 'local';
    doc.security_groups[1].security_group_rules[2].protocol = 'tcp6';
    doc.security_groups[1].security_group_rules[4].port_range_min = 90;
    const fields = problemsOf(doc).map((e) => e.field!.slice(2).join('.'));
    expect(fields).toEqual(expect.arrayContaining([
      'networks.1.provider:network_type',
      'security_groups.1.security_group_rules.2.protocol',
      'security_groups.1.security_group_rules.4.port_range_min',
    ]));
  });

  it('refuses what is not a document', () => {
    expect(problemsOf([1, 2])).toEqual([expect.objectContaining({ code: 'INVALID', field: ['input', 'document'] })]);
    expect(problemsOf({ ports: {} })).toEqual([expect.objectContaining({ field: ['input', 'document', 'ports'] })]);
  });

  it('refuses a floating IP whose address is in no subnet of its network', () => {
    const doc = loadFixture();
    doc.ports = doc.ports.filter((p: { device_owner: string }) => p.device_owner !== 'network:floatingip');
    doc.floatingips[0].floating_ip_address = '198.51.100.7';
    expect(problemsOf(doc)).toContainEqual(expect.objectContaining({
      field: ['input', 'document', 'floatingips', '0', 'floating_ip_address'],
      message: `floating IP ${doc.floatingips[0].id}: 198.51.100.7 is in no subnet of network ${doc.floatingips[0].floating_network_id}`,
    }));
  });
});
