// Unit tests of the three apps and their shared library (jest-preset-angular, jsdom, zoneless).
/** @type {import('jest').Config} */
module.exports = {
  preset: 'jest-preset-angular',
  testEnvironment: 'jsdom',
  setupFilesAfterEnv: ['<rootDir>/setup-jest.ts'],
  roots: ['<rootDir>/projects'],
  moduleNameMapper: { '^@astro/shared$': '<rootDir>/projects/shared/src/public-api.ts' },
  transform: {
    '^.+\\.(ts|js|mjs|html|svg)$': ['jest-preset-angular', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
};
