// A vitest reporter that writes every skipped test with its project, file and full name to
// test-results/skipped-tests.json: run-tests.mjs checks them against test/skip-allowlist.json.
// vitest's JSON report names a test's file but not its project, and the allowlist needs both.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export default class SkippedTestsReporter {
  onInit(vitest) {
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules) {
    const skipped = [];
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        if (test.result().state !== 'skipped') continue;
        skipped.push({
          project: testModule.project.name,
          file: relative(this.root, testModule.moduleId).split('\\').join('/'),
          name: test.fullName,
        });
      }
    }
    mkdirSync(join(this.root, 'test-results'), { recursive: true });
    writeFileSync(join(this.root, 'test-results', 'skipped-tests.json'), `${JSON.stringify(skipped, null, 2)}\n`);
  }
}
