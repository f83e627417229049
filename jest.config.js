// TypeScript is compiled by SWC to ESM; Jest runs it as native ES modules
// (node --experimental-vm-modules), the same module system as the server.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }];

export default {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  // Generous: a PGlite server migrates and the demo cloud is built in a hook, on a 2-core machine.
  testTimeout: 180_000,
  testMatch: ['<rootDir>/test/**/*.test.ts'],
};
