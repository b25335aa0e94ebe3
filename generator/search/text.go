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
	return string(appendFold(b, s[i:], nil))
}

// appendFold appends Fold(s) to b. Characters beyond latinFold's table go
// through catalog.Fold, remembered in cache when it is not nil (each
// worker of the index has its own: typographic apostrophes and spaces are
// common in French text).
func appendFold[S ~string | ~[]byte](b []byte, s S, cache map[rune]string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		// As ranging over a string does: an invalid byte is U+FFFD.
		r, size := utf8.DecodeRuneInString(string(s[i:min(len(s), i+utf8.UTFMax)]))
		i += size
		switch {
		case r < rune(len(latinFold)):
			b = append(b, latinFold[r]...)
		case cache != nil:
			f, ok := cache[r]
			if !ok {
				f = catalog.Fold(string(r))
				cache[r] = f
			}
			b = append(b, f...)
		default:
			b = append(b, catalog.Fold(string(r))...)
		}
	}
	return b
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
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return r <= 0xFFFF && (unicode.IsLetter(r) || unicode.Is(unicode.Nd, r))
}

// Keep tells whether a folded word is worth a place in the index: two
// characters at least (the "l" of "l'entreprise" goes) and no stop word.
func Keep(w string) bool { return utf8.RuneCountInString(w) >= 2 && !stopWords[w] }

// keepBytes is Keep of a word held in a buffer, without copying it.
func keepBytes(w []byte) bool { return utf8.RuneCount(w) >= 2 && !stopWords[string(w)] }

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
// the slice.
func eachTerm(text string, yield func(string)) {
	var join []byte
	scanWords(appendFold(nil, text, nil), &join, func(w []byte) {
		if keepBytes(w) {
			yield(string(w))
		}
	})
}

// scanWords calls yield with each word of folded text, in order, and
// after the words of a hyphenated compound with the compound joined
// (built in *join): the candidates for terms, before Keep. The words
// passed are slices of folded or of *join, valid until yield returns. It
// is the one tokenizer of the index and of Terms, and allocates nothing
// once *join has grown.
func scanWords(folded []byte, join *[]byte, yield func(w []byte)) {
	for i := 0; i < len(folded); {
		// The next run of non-space characters: a field.
		if c := folded[i]; c < utf8.RuneSelf {
			if asciiClass[c] == classSpace {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRune(folded[i:]); unicode.IsSpace(r) {
			i += size
			continue
		}
		start, hyphen := -1, false
		j := i
	field:
		for j < len(folded) {
			word := false
			if c := folded[j]; c < utf8.RuneSelf {
				switch asciiClass[c] {
				case classSpace:
					break field
				case classWord:
					word = true
				}
				hyphen = hyphen || c == '-'
				j++
				if word {
					if start < 0 {
						start = j - 1
					}
					continue
				}
				if start >= 0 {
					yield(folded[start : j-1])
					start = -1
				}
				continue
			}
			r, size := utf8.DecodeRune(folded[j:])
			if unicode.IsSpace(r) {
				break
			}
			switch {
			case isWordRune(r):
				if start < 0 {
					start = j
				}
			case start >= 0:
				yield(folded[start:j])
				start = -1
			}
			j += size
		}
		if start >= 0 {
			yield(folded[start:j])
		}
		if hyphen {
			if w := appendJoinedCompound((*join)[:0], folded[i:j]); len(w) > 0 {
				*join = w
				yield(w)
			}
		}
		i = j
	}
}

// asciiClass sorts the ASCII characters for scanWords: the spaces of
// unicode.IsSpace, the letters and digits of isWordRune, the others.
var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := range rune(utf8.RuneSelf) {
		switch {
		case unicode.IsSpace(c):
			t[c] = classSpace
		case isWordRune(c):
			t[c] = classWord
		}
	}
	return t
}()

const (
	classOther = iota
	classSpace
	classWord
)

// appendJoinedCompound appends the letters and digits of a hyphenated
// compound as one word to b, or nothing when the field holds anything but
// words and hyphens between them ("l'agent-logistique" is not one
// compound): a field, trimmed of what is not a letter or a digit at both
// ends, must be words separated by single hyphens, two at least.
func appendJoinedCompound(b []byte, field []byte) []byte {
	// Trim, as strings.TrimFunc does, a character at a time.
	for len(field) > 0 {
		r, size := utf8.DecodeRune(field)
		if isWordRune(r) {
			break
		}
		field = field[size:]
	}
	for len(field) > 0 {
		r, size := utf8.DecodeLastRune(field)
		if isWordRune(r) {
			break
		}
		field = field[:len(field)-size]
	}
	n := len(b)
	parts, afterHyphen := 1, false
	for i := 0; i < len(field); {
		r, size := utf8.DecodeRune(field[i:])
		switch {
		case r == '-':
			if afterHyphen {
				return b[:n] // an empty part
			}
			parts++
			afterHyphen = true
		case isWordRune(r):
			b = append(b, field[i:i+size]...)
			afterHyphen = false
		default:
			return b[:n]
		}
		i += size
	}
	if parts < 2 {
		return b[:n]
	}
	return b
}

// Compact is a code with its separators removed, folded: a branch writes
// "MQ 2006 10 69 0268" or "CQPM-0268", a visitor types it without spaces.
func Compact(code string) string {
	return strings.Join(Words(Fold(code)), "")
}
