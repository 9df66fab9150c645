/**
 * The GNU build-id of an ELF file, read from its note segments (PT_NOTE, type
 * NT_GNU_BUILD_ID, owner "GNU"), as `readelf -n` prints it: lowercase hex. Undefined
 * when the file is not ELF or has no build-id. Only the headers and notes are read.
 */
export function elfBuildId(read: (offset: number, length: number) => Buffer): string | undefined {
  const ident = read(0, 64);
  if (ident.length < 52 || ident.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = ident[4] === 2;
  const le = ident[5] === 1;
  const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const addr = (b: Buffer, o: number) => (is64 ? Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(b, o));
  const phoff = addr(ident, is64 ? 32 : 28);
  const phentsize = u16(ident, is64 ? 54 : 42);
  const phnum = u16(ident, is64 ? 56 : 44);
  if (phoff === 0 || phnum === 0 || phentsize < (is64 ? 56 : 32)) return undefined;
  const table = read(phoff, phentsize * phnum);
  for (let i = 0; i < phnum; i++) {
    const ph = i * phentsize;
    if (ph + phentsize > table.length) break;
    if (u32(table, ph) !== 4 /* PT_NOTE */) continue;
    const offset = addr(table, ph + (is64 ? 8 : 4));
    const size = addr(table, ph + (is64 ? 32 : 16));
    if (size <= 0 || size > 1 << 20) continue;
    const id = buildIdInNotes(read(offset, size), u32);
    if (id !== undefined) return id;
  }
  return undefined;
}

function buildIdInNotes(notes: Buffer, u32: (b: Buffer, o: number) => number): string | undefined {
  const align4 = (n: number) => (n + 3) & ~3;
  for (let o = 0; o + 12 <= notes.length; ) {
    const namesz = u32(notes, o);
    const descsz = u32(notes, o + 4);
    const type = u32(notes, o + 8);
    const name = notes.toString('latin1', o + 12, o + 12 + Math.max(0, namesz - 1));
    const desc = o + 12 + align4(namesz);
    if (desc + descsz > notes.length) return undefined;
    if (type === 3 /* NT_GNU_BUILD_ID */ && name === 'GNU') return notes.toString('hex', desc, desc + descsz);
    o = desc + align4(descsz);
  }
  return undefined;
}
