// Shared jest settings for every workspace package.
// ts-jest transpiles only (type errors are `pnpm typecheck`'s job), which keeps test start-up fast.
// Every run writes its totals to .jest-results/results.json so .ci/run can add them up across packages.
const path = require('node:path');

/**
 * Builds a package's jest config.
 * @param {string} packageDir the package folder (pass __dirname)
 * @param {import('jest').Config} [overrides]
 * @returns {import('jest').Config}
 */
function createJestConfig(packageDir, overrides = {}) {
  return {
    rootDir: packageDir,
    testEnvironment: 'node',
    roots: ['<rootDir>/src', '<rootDir>/test'].filter((dir) =>
      require('node:fs').existsSync(dir.replace('<rootDir>', packageDir)),
    ),
    testMatch: ['**/*.test.ts'],
    transform: {
      '^.+\\.ts$': [require.resolve('ts-jest'), { tsconfig: path.join(packageDir, 'tsconfig.json'), diagnostics: false }],
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    testTimeout: 30_000,
    reporters: [
      'default',
      [path.join(__dirname, 'resultsReporter.js'), { outputFile: path.join(packageDir, '.jest-results', 'results.json') }],
    ],
    ...overrides,
  };
}

module.exports = { createJestConfig };
