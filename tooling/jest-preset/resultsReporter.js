// A jest reporter that writes the run's totals as JSON, so .ci/run can sum every package's run
// into the one "N passed, N failed" line. Counts come straight from jest's aggregated results.
const fs = require('node:fs');
const path = require('node:path');

class ResultsReporter {
  constructor(_globalConfig, options) {
    this.outputFile = options.outputFile;
  }

  onRunComplete(_contexts, results) {
    fs.mkdirSync(path.dirname(this.outputFile), { recursive: true });
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      failedSuites: results.numFailedTestSuites,
      runtimeErrorSuites: results.numRuntimeErrorTestSuites,
      success: results.success,
    };
    fs.writeFileSync(this.outputFile, JSON.stringify(summary, null, 2));
  }
}

module.exports = ResultsReporter;
