#!/usr/bin/env node
// speedscope_check.cjs — validate/inspect a Chrome Trace Event Format JSON file with speedscope's OWN importer.
// Usage: NODE_PATH=DIR/node_modules node speedscope_check.cjs trace.json     exit 0 = imported cleanly, 1 = speedscope warned, 2 = rejected/unrecognised
// The speedscope npm package ships only a browser bundle (no exports), so we load that bundle into a
// Node vm with stub DOM globals, cut off the UI bootstrap, and grab its internal import module
// (the esbuild chunk exporting importProfileGroupFromText). Tested with speedscope@1.25.0.
const fs = require('fs'), path = require('path'), vm = require('vm');

function loadSpeedscope() {
  const dir = path.join(path.dirname(require.resolve('speedscope/package.json')), 'dist/release');
  const file = fs.readdirSync(dir).find(f => /^speedscope-.*\.js$/.test(f));
  let src = fs.readFileSync(path.join(dir, file), 'utf8');
  // esbuild lazy chunk: `Promise.resolve().then(()=>(INIT(),MOD))` where `var MOD={};X(MOD,{...importProfileGroupFromText...`
  const esc = s => s.replace(/\$/g, '\\$');
  const stub = /Promise\.resolve\(\)\.then\(\(\)=>\(([\w$]+)\(\),([\w$]+)\)\)/g;
  let init, mod, hit;
  while ((hit = stub.exec(src))) {
    if (new RegExp('var ' + esc(hit[2]) + '=\\{\\};[\\w$]+\\(' + esc(hit[2]) + ',\\{[^}]*importProfileGroupFromText').test(src)) {
      init = hit[1]; mod = hit[2]; break;
    }
  }
  if (!init) throw new Error('could not locate importer module in speedscope bundle (version changed?)');
  const cut = src.lastIndexOf('console.log(`speedscope v');   // UI bootstrap (Preact render into document.body)
  if (cut < 0) throw new Error('could not locate bundle bootstrap');
  src = src.slice(0, cut) + `${init}();globalThis.__speedscopeImport=${mod};})();`;
  const noop = new Proxy(function () {}, { get: (t, k) => (k === Symbol.toPrimitive ? () => '' : noop), apply: () => noop, construct: () => noop });
  const ctx = { console, setTimeout, clearTimeout, TextDecoder, TextEncoder, URL, Uint8Array, ArrayBuffer, DataView,
                Promise, WebAssembly, atob, btoa, performance };
  Object.assign(ctx, { window: ctx, self: ctx, globalThis: ctx, document: noop, navigator: { userAgent: 'node' },
    location: { href: 'file:///', hash: '', search: '' }, localStorage: { getItem: () => null, setItem() {} },
    matchMedia: () => ({ matches: false, addEventListener() {}, addListener() {} }),
    requestAnimationFrame: f => setTimeout(f, 0), addEventListener() {}, removeEventListener() {} });
  vm.createContext(ctx);
  vm.runInContext(src, ctx, { filename: file });
  return ctx.__speedscopeImport;
}

(async () => {
  const file = process.argv[2];
  const text = fs.readFileSync(file, 'utf8');
  const warnings = [];
  const orig = { log: console.log, warn: console.warn, error: console.error };
  console.warn = (...a) => warnings.push(a.join(' '));
  console.error = (...a) => warnings.push('error: ' + a.join(' '));
  console.log = (...a) => orig.log('[speedscope] ' + a.join(' '));
  let group = null, err = null;
  const t0 = Date.now();
  try { group = await loadSpeedscope().importProfileGroupFromText(path.basename(file), text); } catch (e) { err = e; }
  Object.assign(console, orig);
  if (err) { console.log('REJECTED: import threw:', err.message); process.exit(2); }
  if (!group) { console.log('REJECTED: not recognised as a trace (speedscope returned null)'); process.exit(2); }
  console.log(`imported in ${Date.now() - t0} ms: ${group.profiles.length} thread profile(s)`);
  for (const p of group.profiles) {
    const lines = []; let depth = 0, maxDepth = 0, n = 0;
    p.forEachCall((node, t) => { n++; lines.push(`${'  '.repeat(depth)}${node.frame.name} start=${t}`); maxDepth = Math.max(maxDepth, ++depth); },
                  () => { depth--; });
    const total = p.getTotalWeight();
    if (!Number.isFinite(total)) warnings.push(`profile "${p.getName()}": non-finite total duration ${total} (bad ts/dur?)`);
    console.log(`- "${p.getName()}": ${n} slices, max depth ${maxDepth}, span ${total} ${p.getWeightUnit()}`);
    if (n <= 20) for (const l of lines) console.log('    ' + l);
  }
  console.log('warnings:', warnings.length ? warnings : 'none');
  process.exit(warnings.length ? 1 : 0);
})();
