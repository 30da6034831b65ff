import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  changedSettings,
  DEFAULT_SETTINGS,
  SETTING_NAMES,
  SETTINGS,
  workspaceSettingsFrom,
} from "../../src/workspace/settings/settings";
import { describeInvalidSetting, parseSettings } from "../../src/workspace/settings/settingsSchema";

interface ContributedSetting {
  type: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  enum?: string[];
}

const contributed = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    contributes: { configuration: { properties: Record<string, ContributedSetting> } };
  }
).contributes.configuration.properties;

test("the settings module declares exactly the settings package.json contributes", () => {
  const keys = SETTING_NAMES.map((name) => SETTINGS[name].key);
  assert.deepEqual(
    [...keys].sort(),
    Object.keys(contributed)
      .filter((key) => key.startsWith("llmFunction."))
      .sort(),
  );
});

test("package.json contributes each setting with the module's default, bounds and JSON type", () => {
  const jsonTypes = { text: "string", url: "string", integer: "integer", globs: "array", choice: "string" } as const;
  for (const name of SETTING_NAMES) {
    const definition: {
      key: string;
      kind: keyof typeof jsonTypes;
      default: unknown;
      minimum?: number;
      maximum?: number;
      minItems?: number;
      options?: readonly string[];
    } = SETTINGS[name];
    const setting = contributed[definition.key];
    assert.ok(setting, `${definition.key} is contributed`);
    assert.deepEqual(
      {
        type: setting.type,
        default: setting.default,
        minimum: setting.minimum,
        maximum: setting.maximum,
        minItems: setting.minItems,
        enum: setting.enum,
      },
      {
        type: jsonTypes[definition.kind],
        default: definition.default,
        minimum: definition.minimum,
        maximum: definition.maximum,
        minItems: definition.minItems,
        enum: definition.options ? [...definition.options] : undefined,
      },
      definition.key,
    );
  }
});

test("the defaults are the module's table", () => {
  for (const name of SETTING_NAMES) assert.deepEqual(DEFAULT_SETTINGS[name], SETTINGS[name].default, name);
});

test("every contributed default is accepted", () => {
  const defaults = Object.fromEntries(Object.entries(contributed).map(([key, setting]) => [key, setting.default]));
  assert.equal(parseSettings(defaults).ok, true);
});

test("integer settings have package.json's bounds: inside accepted, outside and fractions refused", () => {
  const integers = Object.entries(contributed).filter(([, setting]) => setting.type === "integer");
  assert.ok(integers.length >= 5);
  for (const [key, { minimum, maximum }] of integers) {
    assert.ok(minimum !== undefined, `${key} has a minimum`);
    assert.equal(parseSettings({ [key]: minimum }).ok, true, `${key} = ${minimum}`);
    const below = parseSettings({ [key]: minimum - 1 });
    assert.equal(below.ok ? undefined : below.error.setting, key, `${key} = ${minimum - 1} is refused`);
    assert.equal(parseSettings({ [key]: minimum + 0.5 }).ok, false, `${key} = ${minimum + 0.5} is refused`);
    if (maximum !== undefined) {
      assert.equal(parseSettings({ [key]: maximum }).ok, true, `${key} = ${maximum}`);
      assert.equal(parseSettings({ [key]: maximum + 1 }).ok, false, `${key} = ${maximum + 1} is refused`);
    }
  }
});

test("the cases that made sessions fail to open are refused with the setting named", () => {
  for (const [key, value] of [
    ["llmFunction.planning.maxRetry", 0],
    ["llmFunction.planning.checkVotes", 2.5],
    ["llmFunction.planning.maxRetry", "10"],
  ] as const) {
    const parsed = parseSettings({ [key]: value });
    assert.equal(parsed.ok, false);
    if (!parsed.ok) {
      assert.equal(parsed.error.setting, key);
      assert.match(describeInvalidSetting(parsed.error), new RegExp(`^Invalid setting ${key.replace(/\./g, "\\.")}: `));
    }
  }
});

test("the host may be host:port or a URL; anything else is refused naming llmFunction.ollama.host", () => {
  assert.equal(parseSettings({ "llmFunction.ollama.host": "127.0.0.1:11434" }).ok, true);
  assert.equal(parseSettings({ "llmFunction.ollama.host": "https://ollama.example.com/" }).ok, true);
  assert.equal(parseSettings({ "llmFunction.ollama.host": "[::1]:11434" }).ok, true);
  const bad = parseSettings({ "llmFunction.ollama.host": "http://exa mple" });
  assert.equal(bad.ok, false);
  if (!bad.ok)
    assert.match(
      describeInvalidSetting(bad.error, "settings.json"),
      /^Invalid setting llmFunction\.ollama\.host in settings\.json: must be an http:\/\/ or https:\/\/ URL/,
    );
  // Other schemes, and a bare word that would silently mean port 80.
  for (const host of ["ftp://127.0.0.1:11434", "notaurl", "file:///etc/passwd", "javascript:alert(1)"]) {
    assert.equal(parseSettings({ "llmFunction.ollama.host": host }).ok, false, host);
  }
});

test("blank text counts as unset, other extensions' keys are ignored, globs must not be empty", () => {
  const parsed = parseSettings({ "llmFunction.ollama.model": "  ", "editor.fontSize": "huge" });
  assert.ok(parsed.ok);
  assert.equal("model" in parsed.value, false);
  const globs = parseSettings({ "llmFunction.discovery.include": ["**/*.llm.ts", ""] });
  assert.equal(globs.ok ? undefined : globs.error.setting, "llmFunction.discovery.include");
});

test("a tool timeout longer than Node's timers can wait is refused, as in package.json", () => {
  const max = 2 ** 31 - 1;
  assert.equal(contributed["llmFunction.tools.timeoutMs"]?.maximum, max);
  assert.equal(parseSettings({ "llmFunction.tools.timeoutMs": max }).ok, true);
  const tooLong = parseSettings({ "llmFunction.tools.timeoutMs": 2 ** 31 });
  assert.equal(tooLong.ok ? undefined : tooLong.error.setting, "llmFunction.tools.timeoutMs");
});

test("an empty include list is refused with a message saying how to get the default, as package.json's minItems", () => {
  assert.equal(contributed["llmFunction.discovery.include"]?.minItems, 1);
  const empty = parseSettings({ "llmFunction.discovery.include": [] });
  assert.equal(empty.ok, false);
  if (!empty.ok) {
    assert.equal(empty.error.setting, "llmFunction.discovery.include");
    assert.match(
      describeInvalidSetting(empty.error),
      /at least one glob pattern \(remove the setting to use the default\)/,
    );
  }
  assert.equal(parseSettings({ "llmFunction.discovery.exclude": [] }).ok, true, "no exclusions is a meaningful choice");
});

test("the extension hands the engine host:port with http:// added", () => {
  const settings = workspaceSettingsFrom("/work/app", { ...DEFAULT_SETTINGS, host: "127.0.0.1:11434" });
  assert.deepEqual(settings.llm, { type: "ollama", host: "http://127.0.0.1:11434", model: DEFAULT_SETTINGS.model });
});

test("a settings change names exactly the settings that differ", () => {
  assert.deepEqual(changedSettings(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS }), []);
  assert.deepEqual(changedSettings(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, model: "llama3" }), ["model"]);
  assert.deepEqual(
    changedSettings(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, include: [...DEFAULT_SETTINGS.include] }),
    [],
    "same globs, new array",
  );
  assert.deepEqual(
    changedSettings(DEFAULT_SETTINGS, {
      ...DEFAULT_SETTINGS,
      host: "http://x:1",
      maxRetry: 3,
      include: ["**/*.fn.ts"],
      memoryMb: 1024,
    }),
    ["host", "maxRetry", "include", "memoryMb"],
  );
});

test("workspace settings resolve the storage path against the folder", () => {
  const relative = workspaceSettingsFrom("/work/w", DEFAULT_SETTINGS);
  assert.equal(relative.storagePath, "/work/w/.llm-function");
  assert.deepEqual(relative.llm, { type: "ollama", host: "http://127.0.0.1:11434", model: "qwen3:8b" });
  assert.deepEqual(relative.runtime, { maxRetry: 10, resetLoops: 2, checkVotes: 1, promptBudgetTokens: 5000 });
  assert.equal(
    workspaceSettingsFrom("/work/w", { ...DEFAULT_SETTINGS, storagePath: "/tmp/store" }).storagePath,
    "/tmp/store",
  );
});
