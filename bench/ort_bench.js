// ort_bench.js - the measurements of `cts bench`, taken with ONNX Runtime
// (onnxruntime-node, CPU) on a model exported by bench/export_onnx.py.
//
//   node bench/ort_bench.js MODEL.onnx INPUTS.json [--threads N] [--runs N] [--warmup N]
//
// INPUTS.json lists the inputs: [{"name", "dtype" (float32|int64), "shape",
// "file" (raw little-endian data, relative to the JSON)}].  The session uses
// every graph optimization, intraOpNumThreads = N, one inter-op thread.
// Prints one JSON object with the keys of `cts bench --json`: load_ms
// (session creation), first_ms, median_ms, min_ms, max_ms, runs, threads,
// peak_rss_kb (the process's, Node included).
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function parse(argv) {
  const a = {threads: 1, runs: 10, warmup: 2, rest: []};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--threads' || k === '--runs' || k === '--warmup') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < (k === '--warmup' ? 0 : 1)) throw new Error(`${k} needs a count, got ${argv[i]}`);
      a[k.slice(2)] = v;
    } else {
      a.rest.push(k);
    }
  }
  if (a.rest.length !== 2) throw new Error('usage: node ort_bench.js MODEL.onnx INPUTS.json [--threads N] [--runs N] [--warmup N]');
  return a;
}

function loadInputs(specPath) {
  const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));
  const feeds = {};
  for (const s of spec) {
    const buf = fs.readFileSync(path.join(path.dirname(specPath), s.file));
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const data = s.dtype === 'int64' ? new BigInt64Array(ab) : new Float32Array(ab);
    feeds[s.name] = new ort.Tensor(s.dtype, data, s.shape);
  }
  return feeds;
}

async function main() {
  const a = parse(process.argv.slice(2));
  const feeds = loadInputs(a.rest[1]);
  const opts = {intraOpNumThreads: a.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
                executionMode: 'sequential'};
  let t0 = process.hrtime.bigint();
  const session = await ort.InferenceSession.create(a.rest[0], opts);
  const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
  const loadMs = ms(t0);
  t0 = process.hrtime.bigint();
  await session.run(feeds);
  const firstMs = ms(t0);
  for (let i = 0; i < a.warmup; i++) await session.run(feeds);
  const lat = [];
  for (let i = 0; i < a.runs; i++) {
    t0 = process.hrtime.bigint();
    await session.run(feeds);
    lat.push(ms(t0));
  }
  lat.sort((x, y) => x - y);
  const mid = lat.length >> 1;
  const median = lat.length % 2 ? lat[mid] : (lat[mid - 1] + lat[mid]) / 2;
  console.log(JSON.stringify({load_ms: loadMs, first_ms: firstMs, median_ms: median, min_ms: lat[0],
                              max_ms: lat[lat.length - 1], runs: a.runs, threads: a.threads,
                              peak_rss_kb: process.resourceUsage().maxRSS}));
}

main().catch((e) => { console.error(`ort_bench: ${e.message}`); process.exit(1); });
