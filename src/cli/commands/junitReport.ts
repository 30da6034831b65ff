import type { VerifyResult } from "../../engine/runtime/verifyStored";
import { describeDiffs } from "../../engine/workflow/describeDiffs";

/**
 * `llmfn verify` as JUnit XML, which CI systems show per test: one suite per function, one test
 * case per replayed test. A function that could not be replayed is one test case: a failure, or
 * skipped when its state is allowed.
 */
export function junitReport(results: readonly VerifyResult[], allowed: (result: VerifyResult) => boolean): string {
  const suites = results.map((result) => suite(result, allowed(result)));
  const count = (pattern: RegExp) => suites.reduce((sum, s) => sum + (s.match(pattern)?.length ?? 0), 0);
  const seconds = results.reduce((sum, r) => sum + r.durationMs, 0) / 1000;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="llmfn verify" tests="${count(/<testcase /g)}" failures="${count(/<failure /g)}" skipped="${count(/<skipped /g)}" time="${seconds.toFixed(3)}">`,
    ...suites,
    `</testsuites>`,
    "",
  ].join("\n");
}

function suite(result: VerifyResult, allowed: boolean): string {
  const name = attr(result.function);
  const time = (result.durationMs / 1000).toFixed(3);
  const cases =
    result.tests.length > 0
      ? result.tests.map((test) => {
          const label = `<testcase classname="${name}" name="${attr(`${test.label} ${JSON.stringify(test.input)}`)}"`;
          if (test.ok) return `${label}/>`;
          const message = test.error?.message ?? describeDiffs(test.diffs ?? []);
          const kind = test.error?.kind ?? "OUTPUTS_UNEXPECTED";
          const body = test.diffs ? JSON.stringify(test.diffs, null, 2) : (test.error?.message ?? "");
          return `${label}>\n    <failure message="${attr(message)}" type="${attr(kind)}">${text(body)}</failure>\n  </testcase>`;
        })
      : [single(result, allowed)];
  const failures = cases.filter((c) => c.includes("<failure ")).length;
  const skipped = cases.filter((c) => c.includes("<skipped ")).length;
  return [
    `<testsuite name="${name}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${time}">`,
    ...cases.map((c) => `  ${c}`),
    `</testsuite>`,
  ].join("\n");
}

/** A function whose test cases did not run (stale, unverified, not planned, refused, or failed before any case). */
function single(result: VerifyResult, allowed: boolean): string {
  const label = `<testcase classname="${attr(result.function)}" name="${attr(result.status)}"`;
  const message = `${result.status.replace(/_/g, " ")}: ${result.reason ?? ""}`;
  if (result.status === "passed") return `${label}/>`;
  if (allowed) return `${label}>\n    <skipped message="${attr(message)}"/>\n  </testcase>`;
  return `${label}>\n    <failure message="${attr(message)}" type="${attr(result.status)}">${text(result.reason ?? "")}</failure>\n  </testcase>`;
}

function text(value: string): string {
  // XML 1.0 cannot carry most control characters, even escaped.
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
  );
}

function attr(value: string): string {
  return text(value).replace(/"/g, "&quot;").replace(/\n/g, "&#10;");
}
