// Tests of the engine on the index of testdata/fixture.txtar, which the Go
// tests write to ../testdata/index/ (go test -run TestGoldenIndex -update).
// The fixture puts "soudeur" in one CQP's title, another's keywords, a
// block title, a skill, a summary and a body, so that the ranking by field
// can be read off the order of the results.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import {dirname, join} from 'node:path';
import {fileLoader} from './run.mjs';

const core = createRequire(import.meta.url)('./core.js');
const dir = join(dirname(fileURLToPath(import.meta.url)), '../testdata/index');

function engine() {
  const log = [];
  const e = new core.Engine(fileLoader(dir, log));
  e.log = log;
  return e;
}

async function ids(e, q, filters) {
  const res = await e.search(q, filters);
  const docs = await Promise.all(res.ords.map((o) => e.doc(o)));
  return {res, ids: docs.map((d) => d.id)};
}

test('fields rank title > keys > blocks > skills > summary > body; archived left out', async () => {
  const {ids: got, res} = await ids(engine(), 'soudeur');
  assert.deepEqual(got, ['soudeur', 'soudeuse-laser', 'chaudronnier', 'tuyauteur', 'monteur', 'ajusteur', 'mecanicien']);
  assert.equal(res.archived, 1, 'the archived "Soudeur sur chantier" is counted apart');
});

test('archived CQPs come back when asked for', async () => {
  const {ids: got} = await ids(engine(), 'soudeur', {archives: ['1']});
  assert.deepEqual(got.slice(0, 3), ['soudeur', 'ancien', 'soudeuse-laser']);
});

test('exact beats stem in the same field', async () => {
  // soudeuse: exact in "Soudeuse laser", stem in "Soudeur industriel".
  const {ids: got} = await ids(engine(), 'soudeuse');
  assert.deepEqual(got.slice(0, 2), ['soudeuse-laser', 'soudeur']);
});

test('a tie keeps catalogue order', async () => {
  // industriel is in two titles: Monteur (ordinal 2) before Soudeur (3).
  const {ids: got} = await ids(engine(), 'industriel ');
  assert.deepEqual(got.slice(0, 2), ['monteur', 'soudeur']);
});

test('prefix while typing, not after a space', async () => {
  const e = engine();
  assert.deepEqual((await ids(e, 'chaudr')).ids, ['chaudronnier']);
  assert.deepEqual((await ids(e, 'chaudr ')).ids, []);
});

test('one typo in words of five letters or more, none below', async () => {
  const e = engine();
  assert.deepEqual((await ids(e, 'chaudronier ')).ids, ['chaudronnier']);
  assert.deepEqual((await ids(e, 'tuyoteur ')).ids, [], 'two edits');
  assert.deepEqual((await ids(e, 'ajusteru ')).ids, ['ajusteur'], 'two letters swapped');
  assert.deepEqual((await ids(e, 'tog ')).ids, [], 'tig with a typo: too short');
});

test('a word in the dictionary does not match its neighbours', async () => {
  // "soudure" exists (a keyword); "soudeur" is one letter swap away but
  // must not come with it.
  const {ids: got} = await ids(engine(), 'soudure ');
  assert.deepEqual(got, ['soudeur']);
});

test('feminine, plural and accents', async () => {
  const e = engine();
  assert.equal((await ids(e, 'technicienne')).ids[0], 'technicien');
  assert.equal((await ids(e, 'TECHNICIENS ')).ids[0], 'technicien');
  assert.equal((await ids(e, 'mecanicien')).ids[0], 'mecanicien');
  assert.equal((await ids(e, 'Mécanicienne')).ids[0], 'mecanicien');
  assert.equal((await ids(e, 'national ')).ids[0], 'technicien', 'nationaux in a body');
});

test('codes go straight to their CQP', async () => {
  const e = engine();
  for (const q of ['RNCP37890', 'rncp 37890', '37890', 'RNCP37890BC02', 'H2913']) {
    const {res, ids: got} = await ids(e, q + ' ');
    assert.deepEqual(got, ['soudeur'], q);
    const d = await e.doc(res.direct);
    assert.equal(d.id, 'soudeur', `${q}: direct`);
  }
  const {res} = await ids(e, 'RNCP37890BC02');
  const block = await e.block(res.ords[0], res.words);
  assert.deepEqual({...block}, {c: 'RNCP37890BC02', t: 'Souder à l\'arc électrique', a: 'bloc-rncp37890bc02'});
  const t1 = await ids(e, 'T1');
  assert.deepEqual(t1.ids, ['tuyauteur']);
  assert.equal((await e.block(t1.res.ords[0], t1.res.words)).a, 'bloc-t1');
  assert.deepEqual((await ids(e, 'CQPM 0268')).ids, ['tuyauteur']);
  assert.deepEqual((await ids(e, 'cqpm0268')).ids, ['tuyauteur']);
  assert.deepEqual((await ids(e, 'RNCP3789')).ids.length, 5, 'a number typed: every number it starts');
  assert.equal((await e.search('RNCP3789')).direct, -1);
});

test('several words: all must match, else those with most', async () => {
  const e = engine();
  // soudeur in the title and industriel too; then Monteur industriel
  // (title, and soudeur in a skill); then Chaudronnier (keyword, and
  // "industrielle" in the body, by its stem).
  assert.deepEqual((await ids(e, 'soudeur industriel')).ids, ['soudeur', 'monteur', 'chaudronnier']);
  const {res, ids: got} = await ids(e, 'tuyauteur zzzzzz ');
  assert.ok(res.partial);
  assert.deepEqual(got, ['tuyauteur']);
});

test('facets filter, and count what the other facets allow', async () => {
  const e = engine();
  const {res, ids: got} = await ids(e, 'soudeur', {niveau: ['4']});
  assert.deepEqual(got, ['soudeuse-laser', 'chaudronnier']);
  const f = Object.fromEntries(e.meta.facets.map((x, i) => [x.key, Object.fromEntries(x.values.map((v, k) => [v[0], res.counts[i][k]]))]));
  assert.deepEqual(f.niveau, {3: 2, 4: 2}, 'level counts ignore the level filter');
  assert.deepEqual(f.branche, {metallurgie: 2, chimie: 0});
  assert.equal(f.cpf[1], 2, 'CPF follows the registration: both are in the RNCP');
  // Within a facet any value, across facets all.
  assert.deepEqual((await ids(e, '', {niveau: ['3', '4'], branche: ['chimie']})).ids, ['mecanicien', 'technicien']);
  assert.deepEqual((await ids(e, '', {type: ['cqpi']})).ids, ['cqpi-logistique']);
  assert.deepEqual((await ids(e, '', {repertoire: ['none'], public: ['jeunes']})).ids, ['monteur']);
  assert.deepEqual((await ids(e, '', {voie: ['vae'], cpf: ['1']})).ids, ['soudeur', 'soudeuse-laser', 'mecanicien', 'technicien']);
  assert.deepEqual((await ids(e, '', {cpf: ['1'], repertoire: ['rs']})).ids, ['cqpi-logistique', 'tuyauteur']);
  const all = await e.search('', {});
  assert.equal(all.total, 9, 'no query, no filter: every CQP but the archived one');
  assert.equal(all.query, false);
});

test('a prefix that would load too much waits for another letter', async () => {
  const e = engine();
  await e.init();
  const saved = e.meta.cb.slice();
  e.meta.cb = e.meta.cb.map(() => core.PREFIX_BYTES);
  const res = await e.search('sou');
  assert.equal(res.query, false);
  assert.deepEqual(res.waiting.map((w) => w.text), ['sou']);
  assert.equal((await e.search('sou ')).query, true, 'a whole word is searched');
  e.meta.cb = saved;
});

test('the engine loads only what a query needs', async () => {
  const e = engine();
  const res = await e.search('soudeur ');
  assert.deepEqual(res.ords.slice(0, 2), [3, 5]);
  await Promise.all(res.ords.slice(0, 2).map((o) => e.doc(o)));
  const files = e.log.map((f) => f[0]);
  assert.equal(files[0], 'meta.js');
  assert.equal(files.filter((f) => f.startsWith('t/')).length, 1, `one chunk: ${files}`);
  assert.equal(e.meta.dg, 2, 'the fixture\'s index has two CQPs to a d/ file');
  assert.deepEqual(files.filter((f) => f.startsWith('d/')), ['d/1.js', 'd/2.js'], 'ordinals 3 and 5: groups 1 and 2');
  assert.ok(!files.some((f) => f.startsWith('b/')), 'no block file without a code');
  // A group is loaded once, whichever of its CQPs asks.
  await Promise.all([e.doc(2), e.doc(3), e.doc(4)]);
  assert.equal(e.log.filter((f) => f[0].startsWith('d/')).length, 2);
  assert.deepEqual(await e.doc(2), {id: 'monteur', t: 'Monteur industriel', s: 'Monter des ensembles mécaniques.', n: '', c: '', k: 'm1'});
});

test('a blocks file only for a result whose block the query names', async () => {
  const e = engine();
  // H2913 is a ROME code: no block of the CQP has it.
  const rome = await e.search('H2913 ');
  assert.equal(await e.block(rome.ords[0], rome.words), null);
  // RNCP37892 names a CQP, not a block.
  const number = await e.search('RNCP37892 ');
  assert.equal(await e.block(number.ords[0], number.words), null);
  assert.ok(!e.log.some((f) => f[0].startsWith('b/')), `no blocks file: ${e.log.map((f) => f[0])}`);
  // A block code of either form loads its CQP's group, once.
  const derived = await e.search('RNCP37894BC01');
  assert.deepEqual({...await e.block(derived.ords[0], derived.words)}, {c: 'RNCP37894BC01', t: 'Diagnostiquer une panne', a: 'bloc-rncp37894bc01'});
  const other = await e.search('M1');
  assert.deepEqual({...await e.block(other.ords[0], other.words)}, {c: 'M1', t: 'Monter les sous-ensembles', a: 'bloc-m1'});
  assert.deepEqual(e.log.map((f) => f[0]).filter((f) => f.startsWith('b/')), ['b/3.js', 'b/0.js']);
});

test('matched terms are reported for highlighting', async () => {
  const res = await engine().search('soudeuses');
  assert.ok(res.matched.has('soudeur') && res.matched.has('soudeuse'));
  assert.ok(!res.matched.has('soudure'));
});

test('an index of another version is refused', async () => {
  const e = new core.Engine(() => Promise.resolve({v: 99}));
  await assert.rejects(e.search('x'), /version/);
});
