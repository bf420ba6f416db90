// Packs the shoppers' wasm after the release build: fewer data segments, no custom sections.
//
// The wasm is linked with every constant in a data segment of its own (build.rs:
// `--no-merge-data-segments`), so that wasm-split can move each text to the chunk that uses it
// (the admin's screens, each table of texts in each locale). The main module keeps thousands of
// small segments, and each carries a header (its offset and length): measured, about 7 KiB of
// the shoppers' brotli download. This joins the main module's segments whose gap is at most GAP
// bytes into one, writing zeros into the gaps. That is safe because the main module's segments
// are written once, when it starts, before any chunk can load; a chunk's own segments (which
// sit in those gaps) are written when that chunk loads, over the zeros. A chunk's segments are
// joined only where they touch (no gap): the gaps around them may hold what is already loaded.
//
// Every module also loses its custom sections (`producers`, `target_features`: about 200
// bytes each, which no browser reads; a page downloads a dozen modules).
//
//   node scripts/pack-wasm.js [pkg-dir]     (default target/site/pkg)
//
// Anything unexpected (a passive segment, an offset that is not a constant, a result the engine
// does not validate) leaves the module as it was and says why.
const fs = require("fs");
const path = require("path");

const GAP = 256; // measured best of 64..4096 on the main module's brotli size

function readU(buf, pos) {
  let result = 0, shift = 0, byte;
  do {
    byte = buf[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [result, pos];
}

function readS32(buf, pos) {
  let result = 0, shift = 0, byte;
  do {
    byte = buf[pos++];
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  if (shift < 32 && byte & 0x40) result |= -1 << shift;
  return [result, pos];
}

function writeU(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
}

function writeS32(n) {
  const out = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) {
      out.push(byte);
      return Buffer.from(out);
    }
    out.push(byte | 0x80);
  }
}

/** The module's sections, in order: `{ id, body }`. */
function sections(wasm) {
  const list = [];
  let pos = 8;
  while (pos < wasm.length) {
    const id = wasm[pos++];
    let size;
    [size, pos] = readU(wasm, pos);
    list.push({ id, body: wasm.subarray(pos, pos + size) });
    pos += size;
  }
  return list;
}

/** The active segments of a data section, or a reason they cannot be packed. */
function readSegments(body) {
  let [count, pos] = readU(body, 0);
  const segments = [];
  for (let i = 0; i < count; i++) {
    let flag;
    [flag, pos] = readU(body, pos);
    if (flag !== 0) return `segment ${i} is not an active segment of memory 0 (flag ${flag})`;
    if (body[pos++] !== 0x41) return `segment ${i}'s offset is not an i32 constant`;
    let offset;
    [offset, pos] = readS32(body, pos);
    if (body[pos++] !== 0x0b) return `segment ${i}'s offset is not a single constant`;
    let length;
    [length, pos] = readU(body, pos);
    segments.push({ offset, bytes: body.subarray(pos, pos + length) });
    pos += length;
  }
  return segments;
}

function pack(segments, gap) {
  const sorted = [...segments].sort((a, b) => a.offset - b.offset);
  const packed = [];
  for (const s of sorted) {
    const last = packed[packed.length - 1];
    const end = last ? last.offset + last.length : 0;
    if (last && s.offset >= end && s.offset - end <= gap) {
      last.parts.push(Buffer.alloc(s.offset - end), s.bytes);
      last.length = s.offset + s.bytes.length - last.offset;
    } else {
      packed.push({ offset: s.offset, length: s.bytes.length, parts: [s.bytes] });
    }
  }
  return packed;
}

/** The module `wasm` packed (segments within `gap` bytes joined, custom sections dropped), or
 *  the reason it cannot be. */
function packBytes(wasm, gap) {
  const list = sections(wasm).filter((s) => s.id !== 0);
  const data = list.find((s) => s.id === 11);
  let segments = [];
  let packed = [];
  if (data) {
    segments = readSegments(data.body);
    if (typeof segments === "string") return { why: segments };
    packed = pack(segments, gap);
  }
  const body = [writeU(packed.length)];
  for (const p of packed) body.push(Buffer.from([0x00, 0x41]), writeS32(p.offset), Buffer.from([0x0b]), writeU(p.length), ...p.parts);
  const out = [wasm.subarray(0, 8)];
  for (const s of list) {
    let b = s.body;
    if (s.id === 11) b = Buffer.concat(body);
    if (s.id === 12) b = writeU(packed.length); // the data count
    out.push(Buffer.from([s.id]), writeU(b.length), b);
  }
  const result = Buffer.concat(out);
  if (!WebAssembly.validate(result)) return { why: "the packed module does not validate" };
  return { result, said: `${segments.length} data segments into ${packed.length}, ${wasm.length} -> ${result.length} bytes` };
}

function main() {
  const pkg = path.resolve(process.argv[2] || path.join(__dirname, "..", "target", "site", "pkg"));
  const files = fs.readdirSync(pkg).filter((f) => f.endsWith(".wasm"));
  const main = files.filter((f) => /^shopassist(\.[^.]+)?\.wasm$/.test(f));
  if (main.length !== 1) {
    console.error(`pack-wasm: expected one main module in ${pkg}, found ${main.length}`);
    process.exit(1);
  }
  let [before, after, left] = [0, 0, 0];
  for (const f of files) {
    const file = path.join(pkg, f);
    const wasm = fs.readFileSync(file);
    const { result, said, why } = packBytes(wasm, f === main[0] ? GAP : 0);
    if (why) {
      console.log(`pack-wasm: ${f} left as it was: ${why}`);
      left++;
    } else {
      fs.writeFileSync(file, result);
      if (f === main[0]) console.log(`${f}: ${said}`);
    }
    before += wasm.length;
    after += result ? result.length : wasm.length;
  }
  console.log(`pack-wasm: ${files.length} modules, ${before} -> ${after} bytes (${left} left as they were)`);
}

if (require.main === module) main();
module.exports = { packBytes, GAP };
