import { randomBytes } from "node:crypto";

export function createNonce(): string {
  return randomBytes(18).toString("base64");
}

export interface InspectorHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  /** `webview.asWebviewUri(dist/webview/inspector.js)`. */
  scriptUri: string;
  title: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join("; ");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The inspector page: a strict CSP, one nonce'd script and one nonce'd stylesheet using theme colours. */
export function inspectorHtml(options: InspectorHtmlOptions): string {
  const { nonce } = options;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(options.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(options.title)}</title>
<style nonce="${nonce}">${INSPECTOR_CSS}</style>
</head>
<body>
<div id="status" class="status" role="status" aria-live="polite" data-testid="status"></div>
<main id="app" data-testid="inspector-root"><p>Loading workflow…</p></main>
<script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>`;
}

// Theme variables only. Text stays in foreground, description, error and button colours, which
// themes keep at 4.5:1 or more; chart and test-icon colours mark borders and glyph-free accents only.
const INSPECTOR_CSS = `
:root { color-scheme: light dark; }
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 24px; }
h1 { font-size: 1.4em; margin: 12px 0 4px; }
h2 { font-size: 1.15em; margin: 20px 0 8px; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: 4px; }
h3 { font-size: 1.05em; margin: 4px 0; }
h4 { font-size: 1em; margin: 10px 0 4px; }
p.description { color: var(--vscode-descriptionForeground); margin-top: 0; }
.status { position: fixed; top: 6px; right: 16px; font-size: 0.9em; color: var(--vscode-descriptionForeground); background: var(--vscode-editor-background); }
.status:empty { display: none; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
button { font: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: 1px solid var(--vscode-button-border, var(--vscode-contrastBorder, transparent)); padding: 4px 12px; border-radius: 2px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
button:disabled { opacity: 0.6; cursor: default; }
button:focus-visible, select:focus-visible, summary:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
select { font: inherit; color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background); border: 1px solid var(--vscode-dropdown-border); padding: 2px 4px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 0.85em; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); border: 1px solid var(--vscode-contrastBorder, transparent); }
.ok { color: var(--vscode-foreground); }
.fail { color: var(--vscode-errorForeground); }
.muted { color: var(--vscode-descriptionForeground); }
.graph-scroll { overflow: auto; max-width: 100%; padding: 4px 0; }
svg.graph { display: block; overflow: visible; font-family: var(--vscode-font-family); }
.edge { fill: none; stroke: var(--vscode-descriptionForeground); stroke-width: 1.5; }
.edge.active { stroke: var(--vscode-focusBorder); stroke-width: 2.5; }
.arrowhead { fill: var(--vscode-descriptionForeground); }
.arrowhead.active { fill: var(--vscode-focusBorder); }
.edge-label rect { fill: var(--vscode-editor-background); stroke: var(--vscode-panel-border); }
.edge-label.active rect { stroke: var(--vscode-focusBorder); }
.edge-label text { fill: var(--vscode-foreground); font-family: var(--vscode-editor-font-family); font-size: 11px; }
.node { cursor: pointer; outline: none; }
.node-box { fill: var(--vscode-editorWidget-background, var(--vscode-editor-background)); stroke: var(--vscode-contrastBorder, var(--vscode-panel-border)); }
.node:hover .node-box { stroke: var(--vscode-focusBorder); }
.node[aria-current="true"] .node-box { stroke: var(--vscode-focusBorder); stroke-width: 2; }
.node:focus-visible .node-box { stroke: var(--vscode-focusBorder); stroke-width: 3; }
.node-kind { fill: var(--vscode-charts-blue); }
.node[data-kind="input"] .node-kind { fill: var(--vscode-charts-green); }
.node[data-kind="output"] .node-kind { fill: var(--vscode-charts-purple); }
.node-no { fill: var(--vscode-descriptionForeground); font-size: 11px; }
.node-title { fill: var(--vscode-foreground); font-family: var(--vscode-editor-font-family); font-weight: bold; font-size: 12px; }
.node-details { border: 1px solid var(--vscode-panel-border); border-radius: 4px; padding: 8px 12px; margin-top: 12px; max-width: 760px; }
table.args { border-collapse: collapse; width: 100%; margin-top: 6px; }
table.args th, table.args td { padding: 2px 6px; vertical-align: top; text-align: left; font-weight: normal; border-top: 1px solid var(--vscode-panel-border); }
.arg-name { font-family: var(--vscode-editor-font-family); white-space: nowrap; }
td.arg-value { font-family: var(--vscode-editor-font-family); word-break: break-all; }
.wiring { font-size: 0.8em; padding: 0 5px; border-radius: 3px; color: var(--vscode-foreground); border: 1px solid var(--vscode-panel-border); border-left: 3px solid var(--vscode-charts-blue); }
.wiring[data-wiring="template"] { border-left-color: var(--vscode-charts-orange); }
.wiring[data-wiring="literal"] { border-left-color: var(--vscode-charts-green); }
button.ref { padding: 0 6px; font-size: 0.85em; }
ol.entries { list-style: none; padding: 0; margin: 0; }
.entry { border-left: 3px solid var(--vscode-panel-border); padding: 4px 10px; margin: 6px 0; }
.entry.failed { border-left-color: var(--vscode-testing-iconFailed); }
.entry.passed { border-left-color: var(--vscode-testing-iconPassed); }
pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); color: var(--vscode-foreground); background: var(--vscode-textCodeBlock-background); padding: 6px 8px; overflow: auto; max-height: 240px; margin: 4px 0; white-space: pre-wrap; }
details > summary { cursor: pointer; }
table.diffs { border-collapse: collapse; margin: 4px 0; }
table.diffs th, table.diffs td { text-align: left; padding: 2px 8px; border-bottom: 1px solid var(--vscode-panel-border); font-family: var(--vscode-editor-font-family); }
`;
