// What activation loads: dist/extension.js is src/extension/extension.ts and everything it statically imports
// (esbuild.mjs). zod, the LLM clients, the planner and the workspace layer's heavy parts belong in dist/engine.js,
// loaded on first use (src/extension/loadEngine.ts). Type-only imports are left out, as the bundler drops them.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "activation-bundle-stays-light",
      comment: "Move the import behind loadEngine() or into a zod-free module (e.g. src/engine/json/).",
      severity: "error",
      from: { path: "^src/extension/extension\\.ts$" },
      to: {
        reachable: true,
        path: [
          "^node_modules/(zod|ollama|esbuild|picomatch)/",
          "^src/extension/engineModule\\.ts$",
          "^src/engine/(runtime|assembler|llm|storage|tools)/",
          "^src/engine/(jsonSchema|config|llmFunction|toolRegistry)\\.ts$",
          "^src/engine/workflow/(workflowFileSchema|runWorkflow|adaptPlannedStep)\\.ts$",
          "^src/workspace/(workspaceSession|schemaValidator)\\.ts$",
          "^src/workspace/settings/settingsSchema\\.ts$",
          // Starting the host process is light (see EarlyHost): the rest of the tool host is not.
          "^src/workspace/toolHost/(?!(hostProcess|hostSnapshot|processTree)\\.ts$)",
          // watchedFiles.ts is the discovery module kept light for the extension's file watchers.
          "^src/workspace/discovery/(?!watchedFiles\\.ts$)",
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
