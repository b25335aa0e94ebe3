package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cqp-catalogue/cqp/generator/catalog"
)

// This file is the text analysis shared with js/core.js: folding, splitting
// into words, stop words and the light stemmer. The index is only as good
// as the agreement between the two sides, so every rule here has its twin
// there, and testdata/words.json holds the table both must reproduce.

// Fold lowers case and removes accents. It is catalog.Fold, so that the
// site sorts and searches with one notion of equal letters, computed a
// character at a time: catalog.Fold normalises whole strings (NFD), which
// is most of the time an index of 10,000 CQPs takes, while folding is
// local to each character (a combining accent folds to nothing whether or
// not it follows its letter). TestFoldIsCatalogFold holds the two equal.
func Fold(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, i, len(s)+8)
	copy(b, s[:i])
	for _, r := range s[i:] {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b = append(b, byte(r))
		case r < rune(len(latinFold)):
			b = append(b, latinFold[r]...)
		default:
			b = append(b, catalog.Fold(string(r))...)
		}
	}
	return string(b)
}

// latinFold holds catalog.Fold of each character up to U+024F (Latin-1
// and the Latin Extended blocks), computed once; it is only read.
var latinFold = func() []string {
	t := make([]string, 0x250)
	for r := range t {
		t[r] = catalog.Fold(string(rune(r)))
	}
	return t
}()

// stopWordList holds the French function words that neither the index nor
// a query keep: they would match every CQP and say nothing about any. The
// list stays short on purpose: "ou" (or) is here, but no word that could
// be a trade's ("plan", "poste", "tour" are kept).
var stopWordList = [...]string{
	"afin", "ainsi", "au", "aussi", "aux", "avec", "avoir", "ce", "cela",
	"celle", "celles", "celui", "ces", "cet", "cette", "ceux", "chez", "comme",
	"dans", "de", "des", "doit", "dont", "du", "elle", "elles", "en", "entre",
	"est", "et", "etc", "etre", "eux", "fait", "il", "ils", "je", "jusqu", "la",
	"le", "les", "leur", "leurs", "lors", "lorsqu", "lui", "ma", "mais", "me",
	"mes", "mon", "ne", "ni", "nos", "notre", "nous", "on", "ont", "ou", "par",
	"pas", "peut", "peuvent", "plus", "pour", "puis", "puisqu", "qu", "que",
	"quel", "quelle", "quelles", "quels", "qui", "sa", "sans", "se", "selon",
	"ses", "si", "son", "sont", "sous", "sur", "ta", "te", "tes", "ton", "tous",
	"tout", "toute", "toutes", "tres", "tu", "un", "une", "vers", "vos",
	"votre", "vous",
}

// stopWords is stopWordList as a set; it is only ever read.
var stopWords = func() map[string]bool {
	m := make(map[string]bool, len(stopWordList))
	for _, w := range stopWordList {
		m[w] = true
	}
	return m
}()

// StopWords returns the stop words, sorted, for the agreement test and the
// docs.
func StopWords() []string { return append([]string(nil), stopWordList[:]...) }

// IsStopWord tells whether a folded word is left out of the index.
func IsStopWord(w string) bool { return stopWords[w] }

// Words splits folded text into words: runs of letters and decimal digits.
// Everything else separates, apostrophes and hyphens included, so that
// "l'entreprise" gives "l" and "entreprise" and "agent-logistique" gives
// "agent" and "logistique". Characters outside the Basic Multilingual Plane
// separate too: JavaScript compares strings by UTF-16 units and Go by
// bytes, and the two orders agree on the BMP only.
func Words(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool { return !isWordRune(r) })
}

func isWordRune(r rune) bool {
	return r <= 0xFFFF && (unicode.IsLetter(r) || unicode.Is(unicode.Nd, r))
}

// Keep tells whether a folded word is worth a place in the index: two
// characters at least (the "l" of "l'entreprise" goes) and no stop word.
func Keep(w string) bool { return len([]rune(w)) >= 2 && !stopWords[w] }

// IsCode tells whether a word holds a digit: registration numbers
// (rncp37890), block codes, ROME codes (h2903) and parts of a branch's code
// are matched exactly or as a prefix, never stemmed or corrected.
func IsCode(w string) bool {
	return strings.ContainsFunc(w, func(r rune) bool { return r >= '0' && r <= '9' })
}

// Stem reduces a folded word to the form its inflections share, so that
// the singular and the plural, the masculine and the feminine meet:
// opérateur, opératrice, opérateurs → "operateu"; technicien, technicienne
// → "technicien"; soudeur, soudeuse → "soudeu"; national, nationaux →
// "nationa"; agent, agente → "agent". It is a light stemmer in the manner
// of Savoy's French one: a few suffix rules, applied once each, in order,
// and never to codes or to words of fewer than four letters. A stem is a
// key, not a word; nobody reads it.
func Stem(w string) string {
	if IsCode(w) || len([]rune(w)) < 4 {
		return w
	}
	r := []rune(w)
	// cut replaces a suffix with repl when at least two letters come before
	// it and the result keeps three.
	cut := func(suffix, repl string) bool {
		s, t := []rune(suffix), []rune(repl)
		base := len(r) - len(s)
		if base < 2 || base+len(t) < 3 || !hasSuffix(r, s) {
			return false
		}
		r = append(r[:base], t...)
		return true
	}
	// 1. Plural: -aux → -a (chevaux, matériaux, travaux), else a final s or
	// x goes, but not the double s of "process".
	if !cut("aux", "a") {
		if n := len(r); (r[n-1] == 's' && r[n-2] != 's') || r[n-1] == 'x' {
			r = r[:n-1]
		}
	}
	// 2. Feminine forms to the masculine's, the first rule that applies.
	for _, f := range feminine {
		if cut(f[0], f[1]) {
			break
		}
	}
	// 3. A final e goes: agente → agent, qualité → qualit.
	if n := len(r); n >= 4 && r[n-1] == 'e' {
		r = r[:n-1]
	}
	// 4. -eur loses its r, so that -eur, -euse and -eux meet in -eu.
	if n := len(r); n >= 5 && r[n-3] == 'e' && r[n-2] == 'u' && r[n-1] == 'r' {
		r = r[:n-1]
	}
	// 5. -al, -ail and -au end in -a, the stem -aux took in step 1.
	if !cut("ail", "a") && !cut("al", "a") {
		cut("au", "a")
	}
	// 6. A doubled final consonant is single: cheffe → cheff → chef.
	if n := len(r); n >= 4 && r[n-1] == r[n-2] && !isVowel(r[n-1]) {
		r = r[:n-1]
	}
	return string(r)
}

// feminine lists the feminine endings with the masculine ones they become.
// The others (ouvrière, agente, supérieure) only lose their e in step 3.
var feminine = [][2]string{
	{"trice", "teu"}, // opératrice → opérateu(r)
	{"euse", "eu"},   // soudeuse → soudeu(r), dangereuse → dangereu(x)
	{"enne", "en"},   // technicienne → technicien
	{"onne", "on"},   // patronne → patron
	{"elle", "el"},   // professionnelle → professionnel
	{"ette", "et"},   // muette → muet
	{"ive", "if"},    // préventive → préventif
	{"ee", "e"},      // soudée → soudé
}

func hasSuffix(r, s []rune) bool {
	if len(r) < len(s) {
		return false
	}
	for i := range s {
		if r[len(r)-len(s)+i] != s[i] {
			return false
		}
	}
	return true
}

func isVowel(r rune) bool { return strings.ContainsRune("aeiouy", r) }

// Terms is the analysis of a text for the index: folded, split, stop words
// and single letters left out. A hyphenated compound also gives its parts
// joined ("eco-conception" → "eco", "conception", "ecoconception"), so
// that a visitor who types it in one word finds it too.
func Terms(text string) []string {
	var out []string
	eachTerm(text, func(t string) { out = append(out, t) })
	return out
}

// eachTerm calls yield with each term of text, in order: Terms without
// the slices, for the index, which analyses megabytes of text.
func eachTerm(text string, yield func(string)) {
	folded := Fold(text)
	for len(folded) > 0 {
		// The next run of non-space characters: a field.
		i := strings.IndexFunc(folded, func(r rune) bool { return !unicode.IsSpace(r) })
		if i < 0 {
			return
		}
		folded = folded[i:]
		end := strings.IndexFunc(folded, unicode.IsSpace)
		if end < 0 {
			end = len(folded)
		}
		field := folded[:end]
		folded = folded[end:]
		start := -1
		for i, r := range field {
			switch {
			case isWordRune(r):
				if start < 0 {
					start = i
				}
			case start >= 0:
				if w := field[start:i]; Keep(w) {
					yield(w)
				}
				start = -1
			}
		}
		if start >= 0 {
			if w := field[start:]; Keep(w) {
				yield(w)
			}
		}
		if strings.Contains(field, "-") {
			if j := joinedCompound(field); j != "" && Keep(j) {
				yield(j)
			}
		}
	}
}

// joinedCompound returns the letters and digits of a hyphenated compound
// as one word, or "" when the field holds anything but words and hyphens
// between them ("l'agent-logistique" is not one compound).
func joinedCompound(field string) string {
	field = strings.TrimFunc(field, func(r rune) bool { return !isWordRune(r) })
	parts := strings.Split(field, "-")
	if len(parts) < 2 {
		return ""
	}
	for _, p := range parts {
		if p == "" || strings.ContainsFunc(p, func(r rune) bool { return !isWordRune(r) }) {
			return ""
		}
	}
	return strings.Join(parts, "")
}

// Compact is a code with its separators removed, folded: a branch writes
// "MQ 2006 10 69 0268" or "CQPM-0268", a visitor types it without spaces.
func Compact(code string) string {
	return strings.Join(Words(Fold(code)), "")
}
