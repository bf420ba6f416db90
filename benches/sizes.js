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

// The split manifest: each split point's chunks (the admin's lazy routes, and the texts: one
// split point per table and locale, `shop_en_us_<n>`; see src/l10n.rs). A build from before
// the texts were split has none of the latter.
const manifestFile = fs.readdirSync(pkg).find((f) => f.startsWith("__wasm_split_manifest") && f.endsWith(".json"));
const manifest = manifestFile ? JSON.parse(fs.readFileSync(path.join(pkg, manifestFile), "utf8")) : {};
const texts = (table, locale) =>
  Object.entries(manifest)
    .filter(([k]) => k.startsWith(`${table}_${locale}_`))
    .flatMap(([, v]) => v.map((c) => `${c}.wasm`));
const mainWasm = fs.readdirSync(pkg).filter((f) => /^shopassist(\.[^.]+)?\.wasm$/.test(f));
const js = fs.readdirSync(pkg).filter((f) => f.endsWith(".js"));
// What a shopper's page downloads: the main module, every JavaScript file (the bindings and
// the split loader) and the chunks of its locale's texts.
const storefront = (locale) => [...new Set([...mainWasm, ...js, ...texts("shop", locale)])];

// `--storefront-bytes`: the brotli bytes of the larger of the two locales' storefront downloads.
if (process.argv[3] === "--storefront-bytes") {
  console.log(Math.max(size(storefront("en_us")).brotli, size(storefront("zh_hant_tw")).brotli));
  process.exit(0);
}

console.log(`${"download".padEnd(34)} ${"raw".padStart(12)} ${"gzip".padStart(12)} ${"brotli".padStart(12)}`);
row("storefront wasm (main module)", size(mainWasm));
row("storefront js", size(js));
for (const locale of ["en_us", "zh_hant_tw"]) {
  if (texts("shop", locale).length) row(`storefront texts, ${locale}`, size(texts("shop", locale)));
}
for (const locale of ["en_us", "zh_hant_tw"]) {
  row(`storefront page, ${locale}`, size(storefront(locale)));
}
for (const [route, chunks] of Object.entries(manifest).sort()) {
  const name = route.replace(/^__/, "").replace(/_view_\d+$/i, "").replace(/_\d+$/, "");
  row(`${/^(shop|admin)_(en_us|zh_hant_tw)_/.test(route) ? "texts" : "admin"}: ${name}`, size(chunks.map((c) => `${c}.wasm`)));
}
const all = [...new Set(Object.values(manifest).flat())].map((c) => `${c}.wasm`);
row("split chunks, all together", size(all));
