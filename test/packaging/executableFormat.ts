/** What an executable's header says it runs on: the container format and the CPU architecture. */
export interface ExecutableKind {
  format: "ELF" | "Mach-O" | "PE" | "unknown";
  arch: "x64" | "arm64" | "other";
}

const ELF_MACHINES: Record<number, ExecutableKind["arch"]> = { 0x3e: "x64", 0xb7: "arm64" };
const MACHO_CPUS: Record<number, ExecutableKind["arch"]> = { 0x01000007: "x64", 0x0100000c: "arm64" };
const PE_MACHINES: Record<number, ExecutableKind["arch"]> = { 0x8664: "x64", 0xaa64: "arm64" };

/** Reads the ELF, 64-bit Mach-O or PE header (little-endian, as all six targets are). */
export function executableKind(bytes: Buffer): ExecutableKind {
  if (bytes.length >= 20 && bytes.readUInt32BE(0) === 0x7f454c46)
    return { format: "ELF", arch: ELF_MACHINES[bytes.readUInt16LE(18)] ?? "other" };
  if (bytes.length >= 8 && bytes.readUInt32LE(0) === 0xfeedfacf)
    return { format: "Mach-O", arch: MACHO_CPUS[bytes.readUInt32LE(4)] ?? "other" };
  if (bytes.length >= 64 && bytes.toString("latin1", 0, 2) === "MZ") {
    const pe = bytes.readUInt32LE(0x3c);
    if (bytes.length >= pe + 6 && bytes.toString("latin1", pe, pe + 4) === "PE\0\0")
      return { format: "PE", arch: PE_MACHINES[bytes.readUInt16LE(pe + 4)] ?? "other" };
  }
  return { format: "unknown", arch: "other" };
}
