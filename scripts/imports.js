#!/usr/bin/env node
// Finds import loops between the files of src/: a file that names another (by `use`, or by a
// path written in code) depends on it; a cycle in that graph is a loop. Imports run one way
// (../shared/STYLE.md, habit 16), so `node scripts/imports.js` exits 1 and names each loop.
//
// Paths understood: `crate::a::b::Item`, `super::…`, `self::…` (in `use` trees with braces
// too), and `shopassist::…` in src/main.rs. A path is charged to the longest prefix that is a
// file; inline modules (`mod x { … }`) belong to their file. A file's own child modules are
// not dependencies by being declared (`mod x;`), only when something is used from them.
"use strict";
const fs = require("fs");
const path = require("path");

/** Every .rs file under `src`, keyed by its module path (["server", "db"] for src/server/db/mod.rs). */
function moduleFiles(src) {
  const files = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".rs")) {
        const rel = path.relative(src, full).replace(/\\/g, "/").replace(/\.rs$/, "");
        let parts = rel.split("/");
        if (parts[parts.length - 1] === "mod") parts = parts.slice(0, -1);
        if (rel === "lib" || rel === "main") parts = [];
        files.set(rel + ".rs", parts);
      }
    }
  };
  walk(src);
  return files;
}

/** Comments and string literals blanked, so their text names nothing. */
function stripNoise(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/r(#*)"[\s\S]*?"\1/g, '""')
    .replace(/"(?:\\[\s\S]|[^"\\])*"/g, '""')
    .replace(/\/\/[^\n]*/g, " ");
}

/** Expands a `use` tree (`a::{b, c::{d, e}}`) into its flat paths. */
function expandUse(tree) {
  tree = tree.replace(/\s+as\s+\w+/g, "").replace(/\s+/g, "");
  const open = tree.indexOf("{");
  if (open < 0) return [tree];
  const prefix = tree.slice(0, open);
  const inner = tree.slice(open + 1, tree.lastIndexOf("}"));
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === "{") depth++;
    else if (inner[i] === "}") depth--;
    else if (inner[i] === "," && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts.filter((p) => p).flatMap((p) => expandUse(p === "self" ? prefix.replace(/::$/, "") : prefix + p));
}

/** The inline modules (`mod x { … }`) of a file's code: their names and where they span. */
function inlineModules(code) {
  const spans = [];
  for (const m of code.matchAll(/\bmod\s+(\w+)\s*\{/g)) {
    let depth = 0;
    let end = code.length;
    for (let i = m.index + m[0].length - 1; i < code.length; i++) {
      if (code[i] === "{") depth++;
      else if (code[i] === "}" && --depth === 0) {
        end = i;
        break;
      }
    }
    spans.push({ name: m[1], start: m.index, end });
  }
  return spans;
}

/** The module paths (arrays of names) a file's text refers to, relative paths made absolute. */
function referencedPaths(text, self, isMain, modules = new Set()) {
  const files = { has: (m) => modules.has(m) };
  let inUse = false;
  const code = stripNoise(text);
  const out = [];
  const spans = inlineModules(code);
  // The module a position is in: the file's, then each inline module around it.
  const moduleAt = (at) => self.concat(spans.filter((s) => s.start <= at && at <= s.end).map((s) => s.name));
  let here = self;
  const absolute = (segments) => {
    let base = null;
    let rest = segments;
    if (segments[0] === "crate" || (isMain && segments[0] === "shopassist")) {
      base = [];
      rest = segments.slice(1);
    } else if (segments[0] === "super" || segments[0] === "self") {
      base = here.slice();
      while (rest[0] === "super" || rest[0] === "self") {
        if (rest[0] === "super") base.pop();
        rest = rest.slice(1);
      }
    } else if (inUse && files.has(here.concat(segments[0]).join("::"))) {
      base = here.slice();
    } else return null;
    return base.concat(rest.filter((s) => s && s !== "*"));
  };
  for (const m of code.matchAll(/\buse\s+([^;]+);/g)) {
    inUse = true;
    here = moduleAt(m.index);
    for (const p of expandUse(m[1])) {
      const abs = absolute(p.split("::"));
      if (abs) out.push(abs);
    }
    inUse = false;
  }
  const rootWord = isMain ? "crate|super|shopassist" : "crate|super";
  for (const m of code.matchAll(new RegExp(`\\b(?:${rootWord})(?:::\\w+)+`, "g"))) {
    here = moduleAt(m.index);
    const abs = absolute(m[0].split("::"));
    if (abs) out.push(abs);
  }
  return out;
}

/** The dependency graph: file -> set of files it refers to. */
function graph(src) {
  const files = moduleFiles(src);
  // Exported macros (`tr!`) are called by their bare name: a call depends on their file.
  const macros = new Map();
  for (const file of files.keys()) {
    const code = stripNoise(fs.readFileSync(path.join(src, file), "utf8"));
    for (const m of code.matchAll(/#\[macro_export\]\s*macro_rules!\s*(\w+)/g)) macros.set(m[1], file);
  }
  const byModule = new Map([...files].map(([file, parts]) => [parts.join("::"), file]));
  const deps = new Map();
  for (const [file, self] of files) {
    const isMain = file === "main.rs";
    // In lib.rs and main.rs `self` is the crate root; in foo/mod.rs and foo.rs it is foo.
    const text = fs.readFileSync(path.join(src, file), "utf8");
    const set = new Set();
    for (const target of referencedPaths(text, self, isMain, new Set(byModule.keys()))) {
      for (let n = target.length; n >= 0; n--) {
        const owner = byModule.get(target.slice(0, n).join("::"));
        if (owner !== undefined) {
          // The crate root only counts when an item of lib.rs itself is named.
          if (owner !== file && !(n === 0 && target.length > 0 && byModule.has(target[0]))) set.add(owner);
          break;
        }
      }
    }
    for (const m of stripNoise(text).matchAll(/\b(\w+)!\s*[([{]/g)) {
      const owner = macros.get(m[1]);
      if (owner !== undefined && owner !== file) set.add(owner);
    }
    set.delete("main.rs");
    if (isMain) set.delete("lib.rs");
    deps.set(file, set);
  }
  return deps;
}

/** Strongly connected components with more than one file (Tarjan), each sorted. */
function loops(deps) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const found = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of deps.get(v) || []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) found.push(comp.sort());
    }
  };
  for (const v of [...deps.keys()].sort()) if (!idx.has(v)) visit(v);
  return found;
}

/** One shortest cycle through `start` inside its component, for the message. */
function cycleThrough(deps, comp, start) {
  const members = new Set(comp);
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of deps.get(v) || []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const pathBack = [];
        for (let x = v; x !== null; x = prev.get(x)) pathBack.unshift(x);
        return [...pathBack, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

module.exports = { graph, loops, cycleThrough, expandUse, referencedPaths };

if (require.main === module) {
  const src = process.argv[2] || path.join(__dirname, "..", "src");
  const deps = graph(src);
  const found = loops(deps);
  if (found.length === 0) {
    console.log(`no import loops between the ${deps.size} files of ${path.relative(process.cwd(), src) || "."}`);
    process.exit(0);
  }
  for (const comp of found) {
    console.log(`import loop among ${comp.length} files: ${comp.join(", ")}`);
    console.log(`  for example: ${cycleThrough(deps, comp, comp[0]).join(" -> ")}`);
  }
  process.exit(1);
}
