// Unit tests of core.js's text analysis, postings and URL state:
//   node --test generator/search/js/
// The analysis must be Go's (text.go) to the letter: ../testdata/text.json
// holds Go's answers (go test -run TestTextFixture -update rewrites it).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import {dirname, join} from 'node:path';

const core = createRequire(import.meta.url)('./core.js');
const here = dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(join(here, '../testdata/text.json'), 'utf8'));

test('stop words are those of text.go', () => {
  assert.deepEqual(core.stopWords, fixture.stopWords);
});

test('fold is Go\u2019s Fold', () => {
  for (const [input, want] of fixture.fold) assert.equal(core.fold(input), want, `fold(${JSON.stringify(input)})`);
});

test('terms are Go\u2019s Terms', () => {
  for (const {in: input, terms} of fixture.terms) assert.deepEqual(core.terms(input), terms, `terms(${JSON.stringify(input)})`);
});

test('stem is Go\u2019s Stem', () => {
  for (const [w, want] of fixture.stem) assert.equal(core.stem(w), want, `stem(${JSON.stringify(w)})`);
});

test('compact is Go\u2019s Compact', () => {
  for (const [input, want] of fixture.compact) assert.equal(core.compact(input), want, `compact(${JSON.stringify(input)})`);
});

test('folding: case, accents, ligatures, cedilla', () => {
  const cases = [
    ['Électricité', 'electricite'],
    ['Œuvre', 'oeuvre'],
    ['ex æquo', 'ex aequo'],
    ['Garçon', 'garcon'],
    ['OPÉRATRICE', 'operatrice'],
  ];
  for (const [input, want] of cases) assert.equal(core.fold(input), want);
});

test('words: apostrophes and hyphens separate', () => {
  assert.deepEqual(core.words(core.fold('l\u2019entreprise d\'accueil')), ['l', 'entreprise', 'd', 'accueil']);
  assert.deepEqual(core.words('agent-logistique'), ['agent', 'logistique']);
  assert.deepEqual(core.terms('Agent-logistique'), ['agent', 'logistique', 'agentlogistique']);
  assert.deepEqual(core.terms('l\'entreprise'), ['entreprise']);
});

test('stemming joins plural and feminine forms', () => {
  const groups = [
    ['operateur', 'operatrice', 'operateurs', 'operatrices'],
    ['technicien', 'technicienne', 'techniciens'],
    ['conducteur', 'conductrice'],
    ['soudeur', 'soudeuse', 'soudeuses'],
    ['agent', 'agente', 'agents'],
    ['national', 'nationaux', 'nationale'],
    ['chef', 'cheffe'],
  ];
  for (const g of groups) for (const w of g) assert.equal(core.stem(w), core.stem(g[0]), `stem(${w}) = stem(${g[0]})`);
  assert.notEqual(core.stem('soudure'), core.stem('soudeur'));
  assert.equal(core.stem('rncp37890'), 'rncp37890');
});

// Every word of the test indexes and of the fixture, typed a letter at a
// time: the chunks looked up for each start must hold the word's stem.
test('prefixStem is a start of the stem of every completion', () => {
  const vocabulary = new Set(fixture.stem.map((p) => p[0]));
  for (const [dir, kind] of [['../testdata/index/t', 't']]) {
    for (const f of readdirSync(join(here, dir))) {
      const src = readFileSync(join(here, dir, f), 'utf8');
      const data = JSON.parse(src.slice(src.indexOf('{'), src.lastIndexOf('}') + 1));
      for (const t of Object.keys(data)) vocabulary.add(t);
      assert.ok(kind);
    }
  }
  for (const w of ['nationales', 'operatrices', 'techniciennes', 'superieures', 'chevaux', 'travails', 'cheffes',
    'femmes', 'preventives', 'professionnelles', 'actrice', 'patronnes', 'soudees', 'muettes', 'dangereuses']) vocabulary.add(w);
  let checked = 0;
  for (const w of vocabulary) {
    if (core.isCode(w)) continue;
    const s = core.stem(w);
    for (let n = 2; n <= w.length; n++) {
      const p = core.prefixStem(w.slice(0, n));
      assert.ok(s.startsWith(p), `stem(${w}) = ${s} does not start with prefixStem(${w.slice(0, n)}) = ${p}`);
      checked++;
    }
  }
  assert.ok(checked > 1000, `only ${checked} prefixes checked`);
});

test('typo1: one letter added, dropped, changed, or two swapped', () => {
  const yes = [['technicien', 'techncien'], ['soudeur', 'soudeurr'], ['soudeur', 'soudaur'], ['soudeur', 'suodeur'], ['logistique', 'logistqiue']];
  const no = [['soudeur', 'soudeur'], ['soudeur', 'sondeurs'], ['technicien', 'tecnicen'], ['abc', 'cba']];
  for (const [a, b] of yes) assert.ok(core.typo1(a, b) && core.typo1(b, a), `${a} ~ ${b}`);
  for (const [a, b] of no) assert.ok(!core.typo1(a, b), `${a} !~ ${b}`);
});

test('parse: stop words out, prefix on the last word, codes whole', () => {
  const p = core.parse('Conducteur de ligne');
  assert.deepEqual(p.map((w) => [w.text, w.prefix]), [['conducteur', false], ['ligne', true]]);
  assert.equal(core.parse('ligne ')[0].prefix, false, 'a space ends the word');
  const code = core.parse('RNCP 37890');
  assert.deepEqual(code.map((w) => [w.text, w.code]), [['rncp37890', true]]);
  const block = core.parse('RNCP37890BC01');
  assert.equal(block[0].text, 'rncp37890');
  assert.equal(block[0].block, 'rncp37890bc01');
  assert.deepEqual(core.parse('d l a'), []);
  assert.deepEqual(core.parse('l\'entreprise').map((w) => w.text), ['entreprise']);
});

test('postings: gaps and bitsets decode', () => {
  // 0,1,2 as gaps 1,1,1 (the first from -1); then a gap of 38 = 1·32+6:
  // 'x' (33, a continuation worth 1) and '6'.
  assert.deepEqual(core.decodeList('111', 0, 3), [0, 1, 2]);
  assert.deepEqual(core.decodeList('1x6', 0, 3), [0, 38]);
  // '*' and a bitset: 'v' = 31 = bits 0..4; '1' = bit 0 of the next six.
  assert.deepEqual(core.decodeList('*v1', 0, 3), [0, 1, 2, 3, 4, 6]);
  assert.deepEqual(core.decodePostings('1,,*3'), [[0], [], [0, 1]]);
});

test('URL state: read, write, one URL per search', () => {
  const facets = [
    {key: 'branche', values: [['metallurgie', 'Métallurgie'], ['chimie', 'Chimie']]},
    {key: 'niveau', values: [['3', 'Niveau 3'], ['4', 'Niveau 4']]},
    {key: 'cpf', values: [['1', 'CPF']]},
  ];
  const keys = facets.map((f) => f.key);
  const s = core.parseState('?q=soudure&niveau=4&branche=chimie&branche=metallurgie&cpf=1&inconnu=x', keys);
  assert.deepEqual(s, {q: 'soudure', filters: {branche: ['chimie', 'metallurgie'], niveau: ['4'], cpf: ['1']}});
  assert.equal(core.formatState(s, facets), '?q=soudure&branche=metallurgie&branche=chimie&niveau=4&cpf=1');
  assert.deepEqual(core.parseState(core.formatState(s, facets), keys), {q: 'soudure', filters: {branche: ['metallurgie', 'chimie'], niveau: ['4'], cpf: ['1']}});
  assert.equal(core.formatState({q: '', filters: {}}, facets), '');
  assert.equal(core.formatState({q: 'l\'entreprise & co', filters: {}}, facets), '?q=l%27entreprise+%26+co');
});
