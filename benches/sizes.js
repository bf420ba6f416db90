// Release wasm sizes: the storefront's download (main module) and each admin route's chunks,
// raw, gzip and brotli. Run after `cargo leptos build --release --split`.
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

// The site's pkg folder: target/site/pkg, or the one given (another build's, to compare).
const pkg = process.argv[2] ? path.resolve(process.argv[2]) : path.join(__dirname, "..", "target", "site", "pkg");
const size = (files) => {
  const bufs = files.map((f) => fs.readFileSync(path.join(pkg, f)));
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  return {
    raw: sum(bufs.map((b) => b.length)),
    gzip: sum(bufs.map((b) => zlib.gzipSync(b, { level: 9 }).length)),
    brotli: sum(bufs.map((b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length)),
  };
};
const kb = (n) => (n / 1024).toFixed(1).padStart(8) + " KiB";
const row = (name, s) => console.log(`${name.padEnd(34)} ${kb(s.raw)} ${kb(s.gzip)} ${kb(s.brotli)}`);

// `--storefront-bytes`: only the brotli bytes a shopper downloads (main module and every
// JavaScript file the page loads: the bindings and the split loader), as a number.
if (process.argv[3] === "--storefront-bytes") {
  const files = fs.readdirSync(pkg).filter((f) => /^shopassist(\.[^.]+)?\.wasm$/.test(f) || f.endsWith(".js"));
  console.log(size(files).brotli);
  process.exit(0);
}

console.log(`${"download".padEnd(34)} ${"raw".padStart(12)} ${"gzip".padStart(12)} ${"brotli".padStart(12)}`);
const js = fs.readdirSync(pkg).filter((f) => f.startsWith("shopassist") && f.endsWith(".js"));
const mainWasm = fs.readdirSync(pkg).filter((f) => /^shopassist(\.[^.]+)?\.wasm$/.test(f));
row("storefront wasm (main module)", size(mainWasm));
row("storefront js", size(js));
const manifestFile = fs.readdirSync(pkg).find((f) => f.startsWith("__wasm_split_manifest") && f.endsWith(".json"));
const manifest = JSON.parse(fs.readFileSync(path.join(pkg, manifestFile), "utf8"));
for (const [route, chunks] of Object.entries(manifest).sort()) {
  const name = route.replace(/^__/, "").replace(/_view_\d+$/, "");
  row(`admin: ${name}`, size(chunks.map((c) => `${c}.wasm`)));
}
const all = [...new Set(Object.values(manifest).flat())].map((c) => `${c}.wasm`);
row("admin: all chunks together", size(all));
