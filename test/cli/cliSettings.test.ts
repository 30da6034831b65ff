import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { silentLogger } from "../../src/engine/logger";
import { cliWorkspaceSettings, InvalidSettingError, llmSettingSources } from "../../src/cli/cliSettings";
import { DEFAULT_SETTINGS } from "../../src/workspace/settings/settings";
import { tempFolder } from "../support/tempFolders";
import { capturingLogger } from "../workspace/workspaceFixtures";

async function folderWithSettings(settings: string): Promise<string> {
  const folder = await tempFolder("llmfn-settings-");
  await mkdir(join(folder, ".vscode"));
  await writeFile(join(folder, ".vscode", "settings.json"), settings);
  return folder;
}

describe("CLI settings from .vscode/settings.json", () => {
  it("honours every llmFunction setting, with comments and trailing commas", async () => {
    const folder = await folderWithSettings(`{
  // JSONC, as VS Code writes it
  "llmFunction.ollama.host": "localhost:11500",
  "llmFunction.ollama.model": "llama3.2",
  "llmFunction.planning.maxRetry": 4,
  "llmFunction.planning.resetLoops": 0,
  "llmFunction.planning.checkVotes": 3,
  "llmFunction.storage.path": "ci/llm-store",
  "llmFunction.discovery.include": ["src/**/*.fn.ts"],
  "llmFunction.discovery.exclude": ["**/fixtures/**"],
  "llmFunction.tools.timeoutMs": 2500,
  "llmFunction.tools.memoryMb": 128,
  "editor.tabSize": 2,
}`);
    const settings = await cliWorkspaceSettings({ workspace: folder }, {}, silentLogger);
    assert.deepEqual(
      { ...settings, logger: undefined },
      {
        folder,
        include: ["src/**/*.fn.ts"],
        exclude: ["**/fixtures/**"],
        storagePath: join(folder, "ci", "llm-store"),
        llm: { type: "ollama", host: "http://localhost:11500", model: "llama3.2" },
        runtime: { maxRetry: 4, resetLoops: 0, checkVotes: 3, promptBudgetTokens: 5000 },
        toolTimeoutMs: 2500,
        hostMemoryMb: 128,
        logger: undefined,
      },
    );
  });

  it("uses the extension's defaults when nothing is set, flags and environment before defaults", async () => {
    const folder = await folderWithSettings(`{ "llmFunction.ollama.model": "  " }`);
    const settings = await cliWorkspaceSettings(
      { workspace: folder, host: "http://10.0.0.2:1" },
      { LLMFN_MODEL: "from-env" },
      silentLogger,
    );
    assert.deepEqual(settings.llm, { type: "ollama", host: "http://10.0.0.2:1", model: "from-env" });
    assert.deepEqual([settings.include, settings.exclude], [DEFAULT_SETTINGS.include, DEFAULT_SETTINGS.exclude]);
    assert.equal(settings.storagePath, join(folder, ".llm-function"));
    assert.deepEqual(settings.runtime, { maxRetry: 10, resetLoops: 2, checkVotes: 1, promptBudgetTokens: 5000 });
    assert.equal(settings.toolTimeoutMs, 30_000);
    assert.equal(settings.hostMemoryMb, 512);
  });

  it("names where the host and the model come from, with the same precedence", async () => {
    const folder = await folderWithSettings(
      `{ "llmFunction.ollama.model": "llama3.2", "llmFunction.ollama.host": "  " }`,
    );
    const file = join(folder, ".vscode", "settings.json");
    assert.deepEqual(await llmSettingSources({ workspace: folder }, {}), {
      host: "the default",
      model: `llmFunction.ollama.model in ${file}`,
    });
    assert.deepEqual(await llmSettingSources({ workspace: folder, model: "x" }, { OLLAMA_HOST: "10.0.0.2:1" }), {
      host: "OLLAMA_HOST in the environment",
      model: "--model",
    });
    assert.deepEqual(await llmSettingSources({ workspace: join(folder, "none") }, { LLMFN_MODEL: "m" }), {
      host: "the default",
      model: "LLMFN_MODEL in the environment",
    });
  });

  it("keeps an absolute storage path as it is", async () => {
    const store = join(tmpdir(), "llmfn-shared-store");
    const folder = await folderWithSettings(JSON.stringify({ "llmFunction.storage.path": store }));
    assert.equal((await cliWorkspaceSettings({ workspace: folder }, {}, silentLogger)).storagePath, store);
  });

  it("keeps strings that contain comment markers and trailing-comma look-alikes", async () => {
    const folder = await folderWithSettings(`{
  "llmFunction.discovery.include": ["**/*.{llm,}.ts", "a/*[x,]/*.ts", /* a comment */ "b//c/*.llm.ts",],
  "llmFunction.storage.path": "ci/*store*/,}", // trailing comment
}`);
    const settings = await cliWorkspaceSettings({ workspace: folder }, {}, silentLogger);
    assert.deepEqual(settings.include, ["**/*.{llm,}.ts", "a/*[x,]/*.ts", "b//c/*.llm.ts"]);
    assert.equal(settings.storagePath, resolve(folder, "ci/*store*/,}"));
  });

  it("adds http:// to a host:port from the settings, the flag or OLLAMA_HOST", async () => {
    const hostOf = async (options: { workspace: string; host?: string }, env: NodeJS.ProcessEnv = {}) => {
      const { llm } = await cliWorkspaceSettings(options, env, silentLogger);
      assert.equal(llm.type, "ollama");
      return llm.type === "ollama" ? llm.host : undefined;
    };
    const folder = await folderWithSettings(`{ "llmFunction.ollama.host": "127.0.0.1:11500" }`);
    assert.equal(await hostOf({ workspace: folder }), "http://127.0.0.1:11500");
    assert.equal(await hostOf({ workspace: folder, host: "10.0.0.3:1" }), "http://10.0.0.3:1");
    const bare = await folderWithSettings("{}");
    assert.equal(await hostOf({ workspace: bare }, { OLLAMA_HOST: "0.0.0.0:11434" }), "http://0.0.0.0:11434");
    assert.equal(await hostOf({ workspace: bare }, { OLLAMA_HOST: "" }), "http://127.0.0.1:11434");
  });

  it("refuses a host that is no URL, naming where it came from", async () => {
    const folder = await folderWithSettings(`{ "llmFunction.ollama.host": "not a host" }`);
    await assert.rejects(
      cliWorkspaceSettings({ workspace: folder }, {}, silentLogger),
      /Invalid setting llmFunction\.ollama\.host in .*settings\.json: must be an http:\/\/ or https:\/\/ URL/,
    );
    const bare = await folderWithSettings("{}");
    await assert.rejects(
      cliWorkspaceSettings({ workspace: bare, host: "http://bad host" }, {}, silentLogger),
      (error: unknown) => {
        assert.ok(error instanceof InvalidSettingError);
        assert.equal(error.setting, "--host");
        assert.match(
          error.message,
          /Invalid setting --host on the command line: must be an http:\/\/ or https:\/\/ URL/,
        );
        return true;
      },
    );
    for (const host of ["ftp://127.0.0.1:11434", "notaurl"]) {
      await assert.rejects(
        cliWorkspaceSettings({ workspace: bare, host }, {}, silentLogger),
        /Invalid setting --host on the command line/,
        host,
      );
    }
    await assert.rejects(
      cliWorkspaceSettings({ workspace: bare }, { OLLAMA_HOST: "a b:1" }, silentLogger),
      /Invalid setting OLLAMA_HOST in the environment/,
    );
  });

  it("treats an empty LLMFN_MODEL as unset, as an empty OLLAMA_HOST", async () => {
    const bare = await folderWithSettings("{}");
    const settings = await cliWorkspaceSettings(
      { workspace: bare },
      { LLMFN_MODEL: " ", OLLAMA_HOST: "" },
      silentLogger,
    );
    assert.equal(settings.llm.type === "ollama" ? settings.llm.model : undefined, "qwen3:8b");
    assert.equal(settings.llm.type === "ollama" ? settings.llm.host : undefined, "http://127.0.0.1:11434");
  });

  it("warns about a settings file it cannot read, and stays silent when there is none", async () => {
    const unreadable = await tempFolder("llmfn-settings-");
    await mkdir(join(unreadable, ".vscode", "settings.json"), { recursive: true });
    const log = capturingLogger();
    const settings = await cliWorkspaceSettings({ workspace: unreadable }, {}, log);
    assert.deepEqual(settings.include, DEFAULT_SETTINGS.include);
    assert.equal(log.lines.length, 1);
    assert.match(log.lines[0]!, /Ignoring .*settings\.json: cannot read it \(EISDIR/);

    const none = capturingLogger();
    await cliWorkspaceSettings({ workspace: await tempFolder("llmfn-settings-") }, {}, none);
    assert.deepEqual(none.lines, []);
  });

  it("warns about a settings file that is not JSONC and uses the defaults", async () => {
    const folder = await folderWithSettings(`{ "llmFunction.tools.timeoutMs": 2500 /* unclosed`);
    const log = capturingLogger();
    assert.equal((await cliWorkspaceSettings({ workspace: folder }, {}, log)).toolTimeoutMs, 30_000);
    assert.match(log.lines.join("\n"), /Ignoring .*settings\.json: Unterminated/);
  });

  for (const [setting, value] of [
    ["llmFunction.planning.maxRetry", 0],
    ["llmFunction.planning.resetLoops", 2.5],
    ["llmFunction.planning.checkVotes", "3"],
    ["llmFunction.tools.timeoutMs", 50],
    ["llmFunction.tools.memoryMb", 32],
    ["llmFunction.discovery.include", "**/*.llm.ts"],
    ["llmFunction.discovery.exclude", [1]],
    ["llmFunction.storage.path", 7],
    ["llmFunction.ollama.host", false],
  ] as const) {
    it(`refuses an invalid ${setting}, naming it`, async () => {
      const folder = await folderWithSettings(JSON.stringify({ [setting]: value }));
      await assert.rejects(cliWorkspaceSettings({ workspace: folder }, {}, silentLogger), (error: unknown) => {
        assert.ok(error instanceof InvalidSettingError);
        assert.equal(error.setting, setting);
        assert.match(
          error.message,
          new RegExp(`Invalid setting ${setting.replace(/\./g, "\\.")} in .*settings\\.json: `),
        );
        return true;
      });
    });
  }
});
