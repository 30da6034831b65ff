// The layers: engine <- workspace <- cli / extension; `vscode` only in the extension.
// Type-only imports count here: a type from an upper layer is still a dependency on it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "vscode-only-in-extension",
      severity: "error",
      from: { pathNot: "^src/extension/" },
      to: { path: ["^vscode$", "^node_modules/@types/vscode/"] },
    },
    {
      name: "engine-below-everything",
      severity: "error",
      from: { path: "^src/engine/" },
      to: { path: "^src/(workspace|cli|extension)/" },
    },
    {
      name: "workspace-below-frontends",
      severity: "error",
      from: { path: "^src/workspace/" },
      to: { path: "^src/(cli|extension)/" },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
