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
<main id="app" data-testid="inspector-root" aria-live="polite"><p>Loading workflow…</p></main>
<script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>`;
}

const INSPECTOR_CSS = `
:root { color-scheme: light dark; }
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 24px; }
h1 { font-size: 1.4em; margin: 12px 0 4px; }
h2 { font-size: 1.15em; margin: 20px 0 8px; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: 4px; }
p.description { color: var(--vscode-descriptionForeground); margin-top: 0; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
button { font: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: 1px solid var(--vscode-button-border, transparent); padding: 4px 12px; border-radius: 2px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
button:disabled { opacity: 0.5; cursor: default; }
button:focus-visible, select:focus-visible, summary:focus-visible, .card:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
select { font: inherit; color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background); border: 1px solid var(--vscode-dropdown-border); padding: 2px 4px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 0.85em; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
.ok { color: var(--vscode-testing-iconPassed); }
.fail { color: var(--vscode-testing-iconFailed); }
.muted { color: var(--vscode-descriptionForeground); }
.graph { display: flex; flex-direction: column; align-items: stretch; max-width: 760px; }
.card { border: 1px solid var(--vscode-panel-border); border-left: 4px solid var(--vscode-charts-blue); background: var(--vscode-sideBar-background, var(--vscode-editor-background)); border-radius: 4px; padding: 8px 12px; }
.card[data-kind="input"] { border-left-color: var(--vscode-charts-green); }
.card[data-kind="output"] { border-left-color: var(--vscode-charts-purple); }
.card.highlight { outline: 2px solid var(--vscode-focusBorder); }
.card header { display: flex; gap: 8px; align-items: baseline; }
.card .step-no { font-weight: bold; }
.card .title { font-family: var(--vscode-editor-font-family); font-weight: bold; }
.connector { width: 2px; height: 22px; margin-left: 28px; background: var(--vscode-charts-blue); position: relative; }
.connector::after { content: ""; position: absolute; bottom: -2px; left: -4px; border: 5px solid transparent; border-top-color: var(--vscode-charts-blue); border-bottom: 0; }
table.args { border-collapse: collapse; width: 100%; margin-top: 6px; }
table.args td { padding: 2px 6px; vertical-align: top; border-top: 1px solid var(--vscode-panel-border); }
td.arg-name { font-family: var(--vscode-editor-font-family); white-space: nowrap; }
td.arg-value { font-family: var(--vscode-editor-font-family); word-break: break-all; }
.wiring { font-size: 0.8em; padding: 0 5px; border-radius: 3px; border: 1px solid var(--vscode-panel-border); }
.wiring[data-wiring="reference"] { color: var(--vscode-charts-blue); }
.wiring[data-wiring="template"] { color: var(--vscode-charts-orange); }
.wiring[data-wiring="literal"] { color: var(--vscode-charts-green); }
button.ref { padding: 0 6px; font-size: 0.85em; }
.entry { border-left: 3px solid var(--vscode-panel-border); padding: 4px 10px; margin: 6px 0; }
.entry.failed { border-left-color: var(--vscode-testing-iconFailed); }
.entry.passed { border-left-color: var(--vscode-testing-iconPassed); }
pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); background: var(--vscode-textCodeBlock-background); padding: 6px 8px; overflow: auto; max-height: 240px; margin: 4px 0; white-space: pre-wrap; }
details > summary { cursor: pointer; }
table.diffs { border-collapse: collapse; margin: 4px 0; }
table.diffs th, table.diffs td { text-align: left; padding: 2px 8px; border-bottom: 1px solid var(--vscode-panel-border); font-family: var(--vscode-editor-font-family); }
`;
