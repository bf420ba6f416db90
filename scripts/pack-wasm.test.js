// Tests of pack-wasm.js on small modules made here: the memory a packed module starts with is
// the memory the original starts with, its segments are joined only within the gap it is given,
// custom sections go, and a module it cannot pack is refused. Run by scripts/test.sh:
//
//   node --test scripts/
const test = require("node:test");
const assert = require("node:assert");
const { packBytes } = require("./pack-wasm.js");

const u = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const s32 = (n) => {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
};
const section = (id, body) => [id, ...u(body.length), ...body];
const name = (s) => [...u(s.length), ...Buffer.from(s)];

/** A module with one memory (exported as `memory`), `segments` ({ offset, bytes } or
 *  { passive, bytes }) and a `producers` custom section. */
function module(segments) {
  const data = [...u(segments.length)];
  for (const s of segments) {
    if (s.passive) data.push(0x01, ...u(s.bytes.length), ...s.bytes);
    else data.push(0x00, 0x41, ...s32(s.offset), 0x0b, ...u(s.bytes.length), ...s.bytes);
  }
  return Buffer.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(5, [1, 0x00, 1]), // one memory of one page
    ...section(7, [1, ...name("memory"), 0x02, 0]),
    ...section(12, u(segments.length)), // the data count
    ...section(11, data),
    ...section(0, [...name("producers"), 1, 2, 3]),
  ]);
}

async function memory(wasm) {
  const { instance } = await WebAssembly.instantiate(wasm);
  return Buffer.from(instance.exports.memory.buffer.slice(0, 1024));
}

const SEGMENTS = [
  { offset: 16, bytes: [1, 2, 3] },
  { offset: 19, bytes: [4, 5] }, // touches the one before
  { offset: 100, bytes: [6] }, // 79 bytes after
  { offset: 600, bytes: [7, 8] }, // 499 bytes after
];

test("packing keeps the memory the module starts with, joining segments within the gap", async () => {
  const original = module(SEGMENTS);
  for (const [gap, count] of [[0, 3], [79, 2], [256, 2], [499, 1]]) {
    const { result, said, why } = packBytes(original, gap);
    assert.strictEqual(why, undefined);
    assert.match(said, new RegExp(`^4 data segments into ${count},`), `gap ${gap}`);
    assert.deepStrictEqual(await memory(result), await memory(original), `gap ${gap}`);
  }
});

test("custom sections are dropped and the result is smaller", () => {
  const original = module(SEGMENTS);
  assert.ok(original.includes(Buffer.from("producers")));
  const { result } = packBytes(original, 0);
  assert.ok(!result.includes(Buffer.from("producers")));
  assert.ok(result.length < original.length);
});

test("a module with a passive segment is refused, not changed", () => {
  const { result, why } = packBytes(module([...SEGMENTS, { passive: true, bytes: [9] }]), 256);
  assert.strictEqual(result, undefined);
  assert.match(why, /not an active segment/);
});
