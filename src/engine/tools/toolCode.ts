import { sha256, stableStringify } from "../hash";

/**
 * What a tool runs, beyond its contract: every workspace module in its declaration file's import
 * closure (path relative to the workspace folder, with `/`, to a hash of its text) and the
 * version of every package that closure imports. Paths and hashes are the same on every machine,
 * so a committed workflow's record can be checked in CI.
 */
export interface ToolCode {
  /** Hash of `modules` and `packages` together. */
  fingerprint: string;
  /** The declaration file the tool comes from, relative to the workspace folder. */
  file: string;
  modules: Record<string, string>;
  packages: Record<string, string>;
}

/** The fingerprint of an import closure; every loader must compute it this way. */
export function codeFingerprint(modules: Record<string, string>, packages: Record<string, string>): string {
  return sha256(stableStringify({ modules, packages })).slice(0, 16);
}

/** The hash of one module's text, line endings normalized so a Windows checkout hashes the same. */
export function moduleHash(text: string): string {
  return sha256(text.replace(/\r\n/g, "\n")).slice(0, 16);
}
