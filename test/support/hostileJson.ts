/** `[[[…]]]` as text: JSON.stringify of such a value would overflow the stack, JSON.parse does not. */
export function deepArrayText(depth: number): string {
  return `${"[".repeat(depth)}${"]".repeat(depth)}`;
}
