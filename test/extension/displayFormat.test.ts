import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDuration, formatTime } from "../../src/extension/displayFormat";

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
