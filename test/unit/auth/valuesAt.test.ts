import { valuesAt } from '../../../src/graphql/referenceChecks.js';

describe('valuesAt', () => {
  const input = { networkId: 'n1', securityGroupIds: ['g1', 'g2'], networks: [{ networkId: 'n2' }, { fixedIp: '10.0.0.5' }, { networkId: 'n3' }], portIds: null };

  it('finds a field, each element of a list, and a field of each element, with their input paths', () => {
    expect(valuesAt(input, 'networkId')).toEqual([{ value: 'n1', field: ['networkId'] }]);
    expect(valuesAt(input, 'securityGroupIds[]')).toEqual([
      { value: 'g1', field: ['securityGroupIds', '0'] },
      { value: 'g2', field: ['securityGroupIds', '1'] },
    ]);
    expect(valuesAt(input, 'networks[].networkId')).toEqual([
      { value: 'n2', field: ['networks', '0', 'networkId'] },
      { value: 'n3', field: ['networks', '2', 'networkId'] },
    ]);
  });

  it('finds nothing where the input has nothing, or not a list', () => {
    expect(valuesAt(input, 'portIds[]')).toEqual([]);
    expect(valuesAt(input, 'remoteGroupId')).toEqual([]);
    expect(valuesAt({ portIds: 'p1' }, 'portIds[]')).toEqual([]);
    expect(valuesAt(null, 'id')).toEqual([]);
  });
});
