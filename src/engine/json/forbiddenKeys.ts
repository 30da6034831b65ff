/**
 * Keys that lead out of the data into the object model (`obj.__proto__`, `obj.constructor.prototype`).
 * Keys and path segments that come from LLM answers or stored files are refused when they are one of these.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
