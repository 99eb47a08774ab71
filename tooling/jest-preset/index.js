// Shared jest settings for every workspace package.
// ts-jest transpiles only (type errors are `pnpm typecheck`'s job), which keeps test start-up fast.
// Every run writes its totals to .jest-results/results.json so .ci/run can add them up across packages.
const path = require('node:path');

/** Dependencies that ship only ES modules, which jest (CommonJS) must compile to load. */
const ESM_ONLY = ['jose'];
const ESM_ONLY_FILES = `/node_modules/(\\.pnpm/[^/]+/node_modules/)?(${ESM_ONLY.join('|')})/.+\\.js$`;

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
      // jose 6 ships only ES modules. Node >= 20.19 require()s them natively, but jest on Node < 24.9
      // cannot, so jose's files (and only those in node_modules) are compiled to CommonJS for tests.
      [ESM_ONLY_FILES]: [
        require.resolve('ts-jest'),
        { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, diagnostics: false },
      ],
    },
    transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/(${ESM_ONLY.join('|')})@[^/]+/node_modules/)?(${ESM_ONLY.join('|')})/)`],
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
