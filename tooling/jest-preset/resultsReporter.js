// A jest reporter that writes the run's totals as JSON, so .ci/run can sum every package's run
// into the one "N passed, N failed" line. Counts come straight from jest's aggregated results.
//
// It also looks for processes the tests left running. On these 2-core machines jest runs a
// package's files in its own process, so a backend that a test (or the code under test) never
// stopped keeps jest from exiting, silently and for ever (CI once hung 90 minutes on one). Any
// such process is named, killed, and counted as a failure of the package.
const fs = require('node:fs');
const path = require('node:path');

/** How long a process that is on its way out (signalled, not yet reaped) gets to go. */
const GRACE_MS = 5_000;

/** Every process's parent, from /proc (Linux); empty elsewhere. */
function parents() {
  const map = new Map();
  let entries = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return map;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') map.set(Number(entry), Number(fields[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  return map;
}

function commandLine(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** The live descendants of this process, without jest's own workers (theirs are included). */
function leftovers() {
  const parentOf = parents();
  const found = [];
  const ours = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parentOf) {
      if (ours.has(pid) || !ours.has(ppid)) continue;
      ours.add(pid);
      grew = true;
      const cmd = commandLine(pid);
      if (!/jest-worker/.test(cmd)) found.push({ pid, cmd });
    }
  }
  return found;
}

async function waitForLeftovers() {
  const deadline = Date.now() + GRACE_MS;
  let found = leftovers();
  while (found.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    found = leftovers();
  }
  return found;
}

class ResultsReporter {
  constructor(_globalConfig, options) {
    this.outputFile = options.outputFile;
  }

  async onRunComplete(_contexts, results) {
    const left = await waitForLeftovers();
    for (const { pid, cmd } of left) {
      console.error(`\nA test left this process running (killed now): pid ${pid}: ${cmd}`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Ended meanwhile.
      }
    }
    fs.mkdirSync(path.dirname(this.outputFile), { recursive: true });
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      failedSuites: results.numFailedTestSuites,
      runtimeErrorSuites: results.numRuntimeErrorTestSuites,
      leftoverProcesses: left.map(({ cmd }) => cmd),
      success: results.success && left.length === 0,
    };
    fs.writeFileSync(this.outputFile, JSON.stringify(summary, null, 2));
    if (left.length > 0) process.exitCode = 1;
  }
}

module.exports = ResultsReporter;
