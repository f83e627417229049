// Which port (and address) an endpoint reference stands for.
import { qvoName } from '../../../src/domain/naming.js';
import { EndpointError, tracePath } from '../../../src/domain/path/index.js';
import { workedExample } from './fixtures.js';
import { PING, devices } from './helpers.js';

describe('endpoints', () => {
  function setup() {
    const w = workedExample();
    const test = w.cloud.vm('test', w.compute1, w.subnet2, '10.0.2.7', [w.web]);
    const second = w.cloud.vmPort(test.instance, w.compute1, w.subnet1, '10.0.1.7', [w.web]);
    const peer = w.cloud.vm('peer', w.compute2, w.subnet1, '10.0.1.8', [w.web]);
    return { ...w, test, second, peer };
  }

  it('picks the instance port on the network of the other endpoint', () => {
    const w = setup();
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'peer' }, PING);
    expect(r.hops[0].action).toBe('send ICMP 10.0.1.7 -> 10.0.1.8');
    expect(devices(r)).toContain(qvoName(w.second.id));
    expect(r.routerIds).toEqual([]);
  });

  it('takes the first port by id when none is closer', () => {
    const w = setup();
    const r = tracePath(w.cloud.index(), { instanceId: w.test.instance.id }, { ipAddress: '8.8.8.8' }, PING);
    expect(w.test.port.id < w.second.id).toBe(true);
    expect(r.hops[0].action).toBe('send ICMP 10.0.2.7 -> 8.8.8.8');
  });

  it('resolves an address to the VM port that holds it', () => {
    const w = setup();
    const r = tracePath(w.cloud.index(), { ipAddress: '10.0.1.8' }, { portId: w.second.id }, PING);
    expect(r.verdict).toBe('DELIVERED');
    expect(r.hops[0].device).toBe('peer');
    expect(r.hops[r.hops.length - 1]).toMatchObject({ device: 'test', action: 'deliver to test (10.0.1.7)' });
  });

  it('resolves a floating IP source to the VM behind it', () => {
    const w = setup();
    w.cloud.floatingIp('172.24.4.30', w.publicNet, w.peer.port, w.router1);
    const r = tracePath(w.cloud.index(), { ipAddress: '172.24.4.30' }, { ipAddress: '8.8.8.8' }, PING);
    expect(r.hops[0]).toMatchObject({ device: 'peer', action: 'send ICMP 10.0.1.8 -> 8.8.8.8' });
  });

  it('uses the port id as VNIC name when the instance is unnamed', () => {
    const w = setup();
    w.peer.instance.name = '';
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { portId: w.peer.port.id }, PING);
    expect(r.hops[r.hops.length - 1].device).toBe(w.peer.port.id);
  });

  it('tells an address held by several ports apart by the other endpoint, else refuses', () => {
    const w = setup();
    const net9 = w.cloud.network('net9', 'VXLAN', 0x99, { projectId: 'p9' });
    const subnet9 = w.cloud.subnet(net9, 'subnet9', '10.0.1.0/24', '10.0.1.1');
    const twin = w.cloud.vm('twin', w.compute2, subnet9, '10.0.1.8', [w.web]);
    const router9 = w.cloud.router('router9', w.network1, { projectId: 'p9' });
    w.cloud.addInterface(router9, subnet9);
    w.cloud.setGateway(router9, w.publicSubnet, '172.24.4.12');
    const index = w.cloud.index();
    const r = tracePath(index, { instanceId: 'test' }, { ipAddress: '10.0.1.8' }, PING);
    expect(r.hops[r.hops.length - 1].device).toBe('peer');
    expect(() => tracePath(index, { ipAddress: '8.8.4.4' }, { ipAddress: '10.0.1.8' }, PING)).toThrow(
      new EndpointError(`10.0.1.8 is a fixed IP of several ports (${[w.peer.port.id, twin.port.id].sort().join(', ')}); name the instance or the port`),
    );
  });

  it.each([
    [{ instanceId: 'nope' }, { ipAddress: '8.8.8.8' }, 'instance nope does not exist'],
    [{ portId: 'nope' }, { ipAddress: '8.8.8.8' }, 'port nope does not exist'],
    [{ instanceId: 'peer' }, { ipAddress: 'not-an-ip' }, 'not-an-ip is not an IP address'],
    [{ ipAddress: '8.8.8.8' }, { ipAddress: '1.1.1.1' }, 'neither 8.8.8.8 nor 1.1.1.1 is in the cloud'],
    [{ instanceId: 'peer' }, { ipAddress: '10.0.1.8' }, /are the same port|same port/],
  ])('refuses %j -> %j', (from, to, message) => {
    const w = setup();
    expect(() => tracePath(w.cloud.index(), from, to, PING)).toThrow(EndpointError);
    expect(() => tracePath(w.cloud.index(), from, to, PING)).toThrow(message);
  });

  it('refuses router ports and unassociated floating IPs as endpoints', () => {
    const w = setup();
    w.cloud.floatingIp('172.24.4.99', w.publicNet, null, null);
    const index = w.cloud.index();
    expect(() => tracePath(index, { instanceId: 'peer' }, { ipAddress: '10.0.1.1' }, PING)).toThrow(
      `10.0.1.1 belongs to network:router_interface port ${w.qr1.id}; a path starts and ends at a VM port`,
    );
    expect(() => tracePath(index, { portId: w.qg1.id }, { instanceId: 'peer' }, PING)).toThrow(EndpointError);
    expect(() => tracePath(index, { ipAddress: '172.24.4.99' }, { instanceId: 'peer' }, PING)).toThrow(
      'floating IP 172.24.4.99 is not associated with a VM port, so nothing sends from it',
    );
  });

  it('refuses an ambiguous instance name', () => {
    const w = setup();
    w.cloud.vm('peer', w.compute1, w.subnet1, '10.0.1.9', [w.web]);
    expect(() => tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'peer' }, PING)).toThrow(
      'several instances are named peer; use the instance id',
    );
  });
});
