// TypeScript is compiled by SWC to ESM; Jest runs it as native ES modules
// (node --experimental-vm-modules), the same module system as the server.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }];

export default {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  testTimeout: 60_000,
  testMatch: ['<rootDir>/test/**/*.test.ts'],
};
