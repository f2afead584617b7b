// The peers of httpfsm-bench-multipart: npm busboy and @fastify/busboy, on the same bodies
// (written by `httpfsm-bench-multipart --write DIR`), fed in 64 KiB chunks, best of N runs.
//   node busboy_bench.js DIR [RUNS]     (NODE_PATH: where busboy is installed; see run.sh)
'use strict';
const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
const runs = Number(process.argv[3] || 20);
const boundary = fs.readFileSync(path.join(dir, 'boundary'), 'latin1');
const headers = { 'content-type': 'multipart/form-data; boundary=' + boundary };
const kChunk = 64 * 1024;

function feed(parser, body) {
  for (let i = 0; i < body.length; i += kChunk) parser.write(body.subarray(i, i + kChunk));
  parser.end();
}

function runBusboy(body) {
  const busboy = require('busboy');
  return new Promise((resolve, reject) => {
    const bb = busboy({ headers, limits: { fileSize: Infinity, files: Infinity, parts: Infinity } });
    let parts = 0, bytes = 0;
    bb.on('file', (name, stream) => { ++parts; stream.on('data', (d) => { bytes += d.length; }); });
    bb.on('field', () => { ++parts; });
    bb.on('close', () => resolve({ parts, bytes }));
    bb.on('error', reject);
    feed(bb, body);
  });
}

function runFastify(body) {
  const Busboy = require('@fastify/busboy');
  return new Promise((resolve, reject) => {
    const bb = new Busboy({ headers, limits: { fileSize: Infinity, files: Infinity, parts: Infinity } });
    let parts = 0, bytes = 0;
    bb.on('file', (name, stream) => { ++parts; stream.on('data', (d) => { bytes += d.length; }); });
    bb.on('field', () => { ++parts; });
    bb.on('finish', () => resolve({ parts, bytes }));
    bb.on('error', reject);
    feed(bb, body);
  });
}

async function main() {
  for (const shape of ['few_large', 'many_small']) {
    const body = fs.readFileSync(path.join(dir, shape + '.body'));
    for (const [name, run] of [['busboy', runBusboy], ['@fastify/busboy', runFastify]]) {
      let best = 0, result;
      for (let i = 0; i < runs; ++i) {
        const t0 = process.hrtime.bigint();
        result = await run(body);
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        best = Math.max(best, body.length / seconds / 1e6);
      }
      console.log(`${name.padEnd(15)} ${shape.padEnd(10)} ${best.toFixed(1).padStart(8)} MB/s  ` +
                  `(${body.length} bytes, ${result.parts} parts, ${result.bytes} content bytes)`);
    }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
