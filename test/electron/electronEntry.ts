// The @vscode/test-electron entry (extensionTestsPath): VS Code calls run() and fails the run
// when it rejects. The suite itself never throws and returns a summary, so this turns
// failures into a rejection.
import { run as runSuite } from "../extension-host/suite";

export async function run(): Promise<void> {
  const result = await runSuite();
  for (const name of result.passedNames) console.log(`ok: ${name}`);
  for (const skipped of result.skipped) console.log(`skipped: ${skipped}`);
  for (const failure of result.failures) console.error(`FAILED: ${failure}`);
  console.log(`${result.passed} passed, ${result.failed} failed, ${result.skipped.length} skipped`);
  if (result.failed > 0) throw new Error(`${result.failed} in-host test(s) failed`);
}
