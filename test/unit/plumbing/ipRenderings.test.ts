import { renderBrctlShow, renderIpAddr, renderIpNetns, renderIpRoute, type Namespace } from '../../../src/domain/plumbing/index.js';

const LIFETIMES = '\\       valid_lft forever preferred_lft forever';
const ns = (interfaces: Namespace['interfaces'], routes: Namespace['routes'] = []): Namespace => ({
  name: 'qrouter-x', kind: 'QROUTER', routerId: 'x', networkId: null, interfaces, routes, natRules: [],
});

describe('ip -o addr', () => {
  it('marks a second address of the same block secondary, leaves a /31 without broadcast, lists IPv6 global before link-local', () => {
    const text = renderIpAddr(ns([
      { name: 'qr-a', macAddress: 'fa:16:3e:00:0a:01', addresses: ['10.0.0.1/24', '10.0.0.9/24', '192.0.2.0/31', '2001:db8::1/64'] },
    ]));
    expect(text.split('\n').slice(2)).toEqual([
      `2: qr-a    inet 10.0.0.1/24 brd 10.0.0.255 scope global qr-a${LIFETIMES}`,
      `2: qr-a    inet 10.0.0.9/24 brd 10.0.0.255 scope global secondary qr-a${LIFETIMES}`,
      `2: qr-a    inet 192.0.2.0/31 scope global qr-a${LIFETIMES}`,
      `2: qr-a    inet6 2001:db8::1/64 scope global ${LIFETIMES}`,
      `2: qr-a    inet6 fe80::f816:3eff:fe00:a01/64 scope link ${LIFETIMES}`,
      '',
    ]);
  });

  it('numbers interfaces from 2 in the given (name) order, after lo', () => {
    const text = renderIpAddr(ns([
      { name: 'qg-b', macAddress: 'fa:16:3e:00:00:02', addresses: [] },
      { name: 'qr-a', macAddress: 'fa:16:3e:00:00:01', addresses: [] },
    ]));
    expect(text.split('\n').map((l) => l.split('    ')[0])).toEqual(['1: lo', '1: lo', '2: qg-b', '3: qr-a', '']);
  });
});

describe('ip route', () => {
  it('prints IPv4 only: default and extra routes proto static, connected ones from the kernel with their source', () => {
    const text = renderIpRoute(ns(
      [{ name: 'qr-a', macAddress: 'fa:16:3e:00:00:01', addresses: ['10.0.0.1/24', '2001:db8::1/64'] }],
      [
        { destination: '0.0.0.0/0', gateway: '10.0.0.254', device: 'qr-a' },
        { destination: '10.0.0.0/24', gateway: null, device: 'qr-a' },
        { destination: '2001:db8::/64', gateway: null, device: 'qr-a' },
      ],
    ));
    expect(text).toBe('default via 10.0.0.254 dev qr-a proto static \n10.0.0.0/24 dev qr-a proto kernel scope link src 10.0.0.1 \n');
  });
});

describe('ip netns and brctl show', () => {
  it('gives namespace ids in order', () => {
    expect(renderIpNetns([ns([]), { ...ns([]), name: 'qrouter-y' }])).toBe('qrouter-x (id: 0)\nqrouter-y (id: 1)\n');
  });

  it('aligns further interfaces under the first one', () => {
    expect(renderBrctlShow([{ name: 'qbr1', bridgeId: '8000.020000000001', stpEnabled: false, interfaces: ['qvb1', 'tap1'] }, { name: 'qbr2', bridgeId: '8000.020000000002', stpEnabled: false, interfaces: [] }]))
      .toBe('bridge name\tbridge id\t\tSTP enabled\tinterfaces\nqbr1\t\t8000.020000000001\tno\t\tqvb1\n\t\t\t\t\t\t\ttap1\nqbr2\t\t8000.020000000002\tno\t\t\n');
  });
});
