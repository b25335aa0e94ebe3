// run.mjs queries a built index from Node, for the Go tests and the
// measurements of docs/search.md:
//
//   node run.mjs DIR < requests.json > answers.json
//
// DIR holds the index as the build writes it (meta.js, t/, d/, b/ and
// search.js). Each request is {q, filters, top} for a query (answered by a
// fresh engine, so that the bytes it reports are those a first visit
// downloads), or {type, filters, top} for a word typed a letter at a time
// into one engine (what arrives before the first results, and what each
// keystroke costs). Answers give the ids of the first results, the total,
// the files and bytes loaded (search.js included), and the time the
// synchronous part of a query takes once its chunks are loaded.
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';
import vm from 'node:vm';

const core = createRequire(import.meta.url)('./core.js');

// fileLoader reads the index's script files as a browser would run them:
// each calls cqpSearch.load(kind, key, data).
export function fileLoader(dir, log) {
  return (kind, key) => {
    const rel = kind === 'meta' ? 'meta.js' : `${kind}/${key}.js`;
    const src = readFileSync(join(dir, rel), 'utf8');
    log.push([rel, Buffer.byteLength(src)]);
    let data;
    vm.runInNewContext(src, {cqpSearch: {load: (k, kk, d) => { if (k === kind && kk === key) data = d; }}});
    if (data === undefined) return Promise.reject(new Error(`${rel}: no cqpSearch.load("${kind}", ${key}, …)`));
    return Promise.resolve(data);
  };
}

// timeRun is the median time of the synchronous part of a query.
function timeRun(engine, plan, filters) {
  const times = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    engine.run(plan, filters);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

async function answer(dir, scriptBytes, req) {
  const log = [];
  const engine = new core.Engine(fileLoader(dir, log));
  const filters = req.filters || {};
  const top = req.top || 10;
  const out = {q: req.q, type: req.type};
  let res;
  let plan;
  if (req.type !== undefined) {
    // A letter at a time: the first prefix with results is what the
    // visitor sees first.
    out.steps = [];
    for (let i = 1; i <= req.type.length; i++) {
      const q = req.type.slice(0, i);
      plan = await engine.prepare(q);
      res = engine.run(plan, filters);
      const step = {q, total: res.total, ms: timeRun(engine, plan, filters)};
      out.steps.push(step);
      if (res.query && res.total > 0 && out.firstAt === undefined) {
        await Promise.all(res.ords.slice(0, top).map((o) => engine.block(o, res.words).then(() => engine.doc(o))));
        out.firstAt = q;
        out.bytesFirst = scriptBytes + log.reduce((s, f) => s + f[1], 0);
      }
    }
  } else {
    plan = await engine.prepare(req.q);
    res = engine.run(plan, filters);
    out.ms = timeRun(engine, plan, filters);
  }
  // What the page loads for each result shown: its group of d/, and for
  // a query that names one of its blocks, its group of b/.
  const docs = await Promise.all(res.ords.slice(0, top).map((o) => engine.block(o, res.words).then(() => engine.doc(o))));
  out.ids = docs.map((d) => d.id);
  out.total = res.total;
  out.partial = res.partial;
  out.waiting = res.waiting.map((w) => w.text);
  out.direct = res.direct >= 0 ? (await engine.doc(res.direct)).id : '';
  out.counts = Object.fromEntries(engine.meta.facets.map((f, i) => [f.key, Object.fromEntries(f.values.map((v, k) => [v[0], res.counts[i][k]]))]));
  out.files = log.map((f) => f[0]);
  out.bytes = scriptBytes + log.reduce((s, f) => s + f[1], 0);
  return out;
}

async function main() {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node run.mjs INDEX_DIR < requests.json\n');
    process.exit(2);
  }
  const requests = JSON.parse(readFileSync(0, 'utf8'));
  let scriptBytes = 0;
  try {
    scriptBytes = readFileSync(join(dir, 'search.js')).length;
  } catch {
    // an index without its script (a golden fixture): count the data only
  }
  const answers = [];
  for (const req of requests) answers.push(await answer(dir, scriptBytes, req));
  process.stdout.write(JSON.stringify(answers, null, 1) + '\n');
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((err) => {
    process.stderr.write(String(err && err.stack || err) + '\n');
    process.exit(1);
  });
}
