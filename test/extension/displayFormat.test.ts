import assert from "node:assert/strict";
import { test } from "node:test";
import {
  describeError,
  formatDuration,
  formatShortTime,
  formatTime,
  plainText,
} from "../../src/extension/displayFormat";
import { storedFailureMessage, storedFailureOf } from "../../src/extension/storedFailure";

test("durations are rounded to what a reader needs", () => {
  assert.equal(formatDuration(1.1576490000006743), "1.2 ms");
  assert.equal(formatDuration(0), "0 ms");
  assert.equal(formatDuration(0.04), "0 ms");
  assert.equal(formatDuration(42.6), "43 ms");
  assert.equal(formatDuration(1234), "1.2 s");
  assert.equal(formatDuration(12_345), "12 s");
  assert.equal(formatDuration(125_000), "2 min 5 s");
  assert.equal(formatDuration(120_000), "2 min");
  assert.equal(formatDuration(Number.NaN), "–");
});

test("times follow the given locale and the local time zone, never raw ISO", () => {
  const iso = "2025-03-04T10:22:33.000Z";
  const expected = new Intl.DateTimeFormat("de-DE", { dateStyle: "medium", timeStyle: "medium" }).format(new Date(iso));
  assert.equal(formatTime(iso, "de-DE"), expected);
  assert.doesNotMatch(formatTime(iso, "en-US"), /T10:22|Z$/);
  assert.equal(formatTime("not a time"), "not a time");
});

test("a replayed failure is recognised from its details and explained as stored", () => {
  const error = {
    kind: "INIT_CHECK" as const,
    stage: "init_check" as const,
    message: "No tool can send a fax.",
    details: { storedFailure: { savedAt: "2025-03-04T10:22:33.000Z", file: "/w/x.json" } },
  };
  const stored = storedFailureOf(error);
  assert.deepEqual(stored, { savedAt: "2025-03-04T10:22:33.000Z", file: "/w/x.json" });
  assert.equal(storedFailureOf({ kind: "INIT_CHECK", stage: "init_check", message: "fresh" }), undefined);
  const text = storedFailureMessage("fax_weather", error, stored!, "en-US");
  assert.match(
    text,
    /^fax_weather: stored result of the planning that failed on .*, repeated without asking the LLM\. Replan to try again\./,
  );
  assert.match(text, /No tool can send a fax\. \(INIT_CHECK, init_check stage\)$/);
  assert.doesNotMatch(text, /^INIT_CHECK/);
});

test("messages lead with what happened; code spans read as quotes", () => {
  assert.equal(
    describeError({ kind: "LLM_UNREACHABLE", stage: "llm", message: "Cannot reach http://127.0.0.1:9." }),
    "Cannot reach http://127.0.0.1:9. (LLM_UNREACHABLE, llm stage)",
  );
  assert.equal(plainText("run `ollama pull qwen3:8b` there"), 'run "ollama pull qwen3:8b" there');
});

test("short times leave out the current year", () => {
  const now = new Date("2025-06-01T12:00:00Z");
  assert.equal(
    formatShortTime("2025-03-04T10:22:33.000Z", "en-US", now),
    new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }).format(
      new Date("2025-03-04T10:22:33.000Z"),
    ),
  );
  assert.match(formatShortTime("2024-03-04T10:22:33.000Z", "en-US", now), /2024/);
});
