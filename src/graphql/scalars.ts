// Output scalars. Inputs take plain strings for addresses so that a bad one
// comes back as a userError naming the field, not as a request error.
import { GraphQLScalarType } from 'graphql';
import { GraphQLDateTime, GraphQLIP, GraphQLJSON, GraphQLMAC } from 'graphql-scalars';
import { parsePrefix } from '../domain/addressing.js';

const renamed = (scalar: GraphQLScalarType, name: string, description: string) =>
  new GraphQLScalarType({ ...scalar.toConfig(), name, description });

export const IPAddress = renamed(GraphQLIP, 'IPAddress', 'An IPv4 or IPv6 address.');
export const MACAddress = renamed(GraphQLMAC, 'MACAddress', 'A MAC address, e.g. fa:16:3e:12:34:56.');

export const CIDR = new GraphQLScalarType({
  name: 'CIDR',
  description: 'An IPv4 or IPv6 network in CIDR notation, e.g. 10.0.0.0/24.',
  serialize(value) {
    if (typeof value !== 'string' || !parsePrefix(value)) throw new TypeError(`CIDR cannot represent ${String(value)}`);
    return value;
  },
  parseValue(value) {
    if (typeof value !== 'string' || !parsePrefix(value)) throw new TypeError(`'${String(value)}' is not a CIDR`);
    return value;
  },
});

export const scalarResolvers = { IPAddress, MACAddress, CIDR, DateTime: GraphQLDateTime, JSON: GraphQLJSON };
