// esbuild's CommonJS runtime helpers, as it prints them at the head of every bundle's second line
// (whitespace minified, target node20). Compiling and running 200 copies of them was about a fifth
// of the tool host's load of 200 files. The host defines them once; the bundler rewrites each
// bundle's leading declarations of them to take the host's, padded to their length, so that the
// columns of that line (where the source map places the code) do not move. Helpers that use the
// bundle's own `require` (`__require`) are not among them. A test checks these texts against the
// esbuild in use.

import { runInThisContext } from "node:vm";

/** The global the host puts the helpers under; a bundle's prelude reads it as SHARED_HELPERS_LOCAL. */
export const SHARED_HELPERS_KEY = "llm-function.bundleHelpers";
export const SHARED_HELPERS_LOCAL = "__llmfnH";

/** Each helper's name and value, in esbuild's order; later ones use earlier ones by name. */
export const SHARED_HELPERS: readonly (readonly [name: string, value: string])[] = [
  ["__create", "Object.create"],
  ["__defProp", "Object.defineProperty"],
  ["__getOwnPropDesc", "Object.getOwnPropertyDescriptor"],
  ["__getOwnPropNames", "Object.getOwnPropertyNames"],
  ["__getProtoOf", "Object.getPrototypeOf"],
  ["__hasOwnProp", "Object.prototype.hasOwnProperty"],
  [
    "__commonJS",
    "(cb,mod)=>function __require(){try{return mod||(0,cb[__getOwnPropNames(cb)[0]])((mod={exports:{}}).exports,mod),mod.exports}catch(e){throw mod=0,e}}",
  ],
  ["__export", "(target,all)=>{for(var name in all)__defProp(target,name,{get:all[name],enumerable:true})}"],
  [
    "__copyProps",
    '(to,from,except,desc)=>{if(from&&typeof from==="object"||typeof from==="function"){for(let key of __getOwnPropNames(from))if(!__hasOwnProp.call(to,key)&&key!==except)__defProp(to,key,{get:()=>from[key],enumerable:!(desc=__getOwnPropDesc(from,key))||desc.enumerable})}return to}',
  ],
  [
    "__reExport",
    '(target,mod,secondTarget)=>(__copyProps(target,mod,"default"),secondTarget&&__copyProps(secondTarget,mod,"default"))',
  ],
  [
    "__toESM",
    '(mod,isNodeMode,target)=>(target=mod!=null?__create(__getProtoOf(mod)):{},__copyProps(isNodeMode||!mod||!mod.__esModule?__defProp(target,"default",{value:mod,enumerable:true}):target,mod))',
  ],
  ["__toCommonJS", 'mod=>__copyProps(__defProp({},"__esModule",{value:true}),mod)'],
];

const BY_NAME = new Map(SHARED_HELPERS.map(([name, value]) => [name, `var ${name}=${value};`]));
const DECLARATION_START = /var (__[A-Za-z]+)=/y;

/**
 * The helpers, made once in the host from the very texts bundles carry (so they behave alike),
 * frozen: a declaration must not change them under the bundles loaded after it. Compiled as a
 * script, which works under `--disallow-code-generation-from-strings` as bundles do (`new Function` would not).
 */
export function makeSharedHelpers(): Readonly<Record<string, unknown>> {
  const declarations = [...BY_NAME.values()].join("");
  const names = SHARED_HELPERS.map(([name]) => name).join(",");
  const helpers = runInThisContext(`(() => {${declarations}return {${names}};})()`, {
    filename: "llm-function-bundle-helpers.js",
  }) as Record<string, unknown>;
  return Object.freeze(helpers);
}

/**
 * Rewrites the run of known helper declarations that starts at `from` to take the host's. The run
 * ends at the first statement that is not one of them: only esbuild's own helpers are touched,
 * never user code that happens to look like them.
 */
export function shareBundleHelpers(code: string, from: number): string {
  let at = from;
  let rewritten = "";
  for (;;) {
    DECLARATION_START.lastIndex = at;
    const name = DECLARATION_START.exec(code)?.[1];
    const declaration = name === undefined ? undefined : BY_NAME.get(name);
    if (!declaration || !code.startsWith(declaration, at)) break;
    const shared = `var ${name}=${SHARED_HELPERS_LOCAL}.${name};`;
    // A declaration shorter than its rewriting (`var __create=Object.create;`) stays as it is.
    rewritten += shared.length > declaration.length ? declaration : shared.padEnd(declaration.length, " ");
    at += declaration.length;
  }
  return at === from ? code : code.slice(0, from) + rewritten + code.slice(at);
}
