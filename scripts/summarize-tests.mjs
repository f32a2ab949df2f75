// Prints vitest's JSON report as the single closing line "N passed, N failed, N skipped".
// A test file that fails outside its tests (an error in beforeAll, a file that does not load)
// counts as one failure: its tests are reported skipped, yet the run failed.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const filesFailedOutsideTests = report.testResults.filter(
  (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
).length;
const failed = report.numFailedTests + filesFailedOutsideTests;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
