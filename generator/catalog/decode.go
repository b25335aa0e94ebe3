package catalog

import (
	"fmt"
	"net/mail"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cqp-catalogue/cqp/generator/content"
	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/schema"
)

// decoder fills the model's structs from a front matter, driven by the
// schema's definitions, and reports every problem at the key or value that
// causes it. It matches schema keys to struct fields by their yaml tag.
// A decoder is used by one goroutine at a time.
type decoder struct {
	path string
	list *diag.List
}

func newDecoder() *decoder { return &decoder{} }

func (d *decoder) at(n *content.Node) diag.Pos {
	return diag.Pos{Path: d.path, Line: n.Line, Col: n.Col}
}

// decodeFile decodes a file's front matter into dst, a pointer to a struct.
// Missing top-level keys are reported at line 1, as the contract says.
func (d *decoder) decodeFile(f *content.File, doc *schema.Doc, dst any, list *diag.List) {
	d.path, d.list = f.Path, list
	d.object(f.Meta, doc.Type, reflect.ValueOf(dst).Elem(), diag.FileStart(f.Path))
}

// structInfo is what the decoder needs to know of a struct type.
type structInfo struct {
	fields map[string]int // yaml tag to field index
	pos    []int          // the index of a diag.Pos field named Pos, or nil
}

// structInfos caches a structInfo per struct type (reflect.Type to
// *structInfo), for all decoders.
var structInfos sync.Map

func infoOf(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{fields: map[string]int{}}
	for i := range t.NumField() {
		if tag := t.Field(i).Tag.Get("yaml"); tag != "" && tag != "-" {
			si.fields[tag] = i
		}
	}
	if f, ok := t.FieldByName("Pos"); ok && f.Type == posType {
		si.pos = f.Index
	}
	actual, _ := structInfos.LoadOrStore(t, si)
	return actual.(*structInfo)
}

type locator interface{ target() (any, *diag.Pos) }

var posType = reflect.TypeFor[diag.Pos]()

// smallSet is the size up to which duplicates are looked for by scanning
// what came before rather than with a map.
const smallSet = 32

// firstKey returns the key of the first pair of pairs named key, or nil.
func firstKey(pairs []content.Pair, key string) *content.Node {
	for _, p := range pairs {
		if p.Key.Value == key {
			return p.Key
		}
	}
	return nil
}

func (d *decoder) object(n *content.Node, t *schema.Type, dst reflect.Value, mapPos diag.Pos) {
	si := infoOf(dst.Type())
	if si.pos != nil {
		*dst.FieldByIndex(si.pos).Addr().Interface().(*diag.Pos) = mapPos
	}
	index := si.fields
	// The keys already read: a scan of the pairs before for a small map,
	// a map beyond.
	var seen map[string]*content.Node
	if len(n.Pairs) > smallSet {
		seen = make(map[string]*content.Node, len(n.Pairs))
	}
	// A misspelt required key is one mistake: the unknown key's message
	// names the right spelling, so the missing key is not reported again.
	var suggested []string
	for i, p := range n.Pairs {
		key := p.Key.Value
		var first *content.Node
		if seen != nil {
			first = seen[key]
		} else {
			first = firstKey(n.Pairs[:i], key)
		}
		if first != nil {
			d.list.Errorf(d.at(p.Key), diag.DuplicateKey, "clé « %s » en double (déjà écrite ligne %d) : n'en garder qu'une", key, first.Line)
			continue
		}
		if seen != nil {
			seen[key] = p.Key
		}
		f := t.Field(key)
		if f == nil {
			hint, suggestion := suggestKey(key, t)
			suggested = append(suggested, suggestion)
			d.list.Errorf(d.at(p.Key), diag.UnknownKey, "clé inconnue « %s » : %s", key, hint)
			continue
		}
		i, ok := index[key]
		if !ok {
			panic(fmt.Sprintf("catalog: no struct field for schema key %q in %s", key, dst.Type()))
		}
		if p.Value.Kind == content.Null {
			if f.Required {
				d.list.Errorf(d.at(p.Key), diag.MissingKey, "la clé obligatoire « %s » est vide : lui donner une valeur%s", key, example(f))
			}
			continue
		}
		d.value(p.Value, f, f.Type, dst.Field(i), d.at(p.Key))
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		if f.Required && firstKey(n.Pairs, f.Key) == nil && !slices.Contains(suggested, f.Key) {
			d.list.Errorf(mapPos, diag.MissingKey, "clé obligatoire « %s » absente : ajouter « %s: … »%s", f.Key, f.Key, example(f))
		}
	}
}

func example(f *schema.Field) string {
	if f.Example == "" {
		return ""
	}
	return fmt.Sprintf(", par exemple « %s: %s »", f.Key, f.Example)
}

// value decodes n into dst. keyPos is the position of the key that holds
// the value, used as the position of a map under it.
//
// It reports whether the value was accepted; a list keeps only the items
// that were, so later rules never see a half-decoded item.
func (d *decoder) value(n *content.Node, f *schema.Field, t *schema.Type, dst reflect.Value, keyPos diag.Pos) bool {
	before := len(*d.list)
	d.decodeValue(n, f, t, dst, keyPos)
	return len(*d.list) == before
}

func (d *decoder) decodeValue(n *content.Node, f *schema.Field, t *schema.Type, dst reflect.Value, keyPos diag.Pos) {
	if dst.Kind() == reflect.Struct { // only a struct can be a Located
		if l, ok := dst.Addr().Interface().(locator); ok {
			inner, pos := l.target()
			*pos = d.at(n)
			dst = reflect.ValueOf(inner).Elem()
		}
	}
	if dst.Kind() == reflect.Pointer {
		v := reflect.New(dst.Type().Elem())
		dst.Set(v)
		dst = v.Elem()
	}
	key := f.Key
	if t.Kind == schema.Object {
		if n.Kind != content.Map {
			d.wrongType(n, f, t)
			return
		}
		d.object(n, t, dst, keyPos)
		return
	}
	if t.Kind == schema.List {
		if n.Kind != content.Seq {
			d.wrongType(n, f, t)
			return
		}
		if len(n.Items) < t.MinItems {
			d.list.Errorf(d.at(n), diag.BadValue, "la liste « %s » est vide : elle doit contenir au moins %d élément%s", key, t.MinItems, plural(t.MinItems))
		}
		// The items are decoded in place; a refused item's slot is cleared
		// and taken by the next one, and the length is cut to what was
		// accepted.
		dst.Set(reflect.MakeSlice(dst.Type(), len(n.Items), len(n.Items)))
		kept := 0
		var seen map[string]*content.Node
		for i, item := range n.Items {
			if item.Kind == content.Null {
				d.list.Errorf(d.at(item), diag.WrongType, "élément vide dans la liste « %s » : le retirer ou le compléter", key)
				continue
			}
			if t.Unique && item.Kind == content.Scalar {
				var first *content.Node
				if len(n.Items) > smallSet {
					if seen == nil {
						seen = map[string]*content.Node{}
					}
					first = seen[item.Value]
					if first == nil {
						seen[item.Value] = item
					}
				} else {
					first = firstScalar(n.Items[:i], item.Value)
				}
				if first != nil {
					d.list.Errorf(d.at(item), diag.DuplicateItem, "« %s » figure deux fois dans « %s » (déjà ligne %d) : retirer le doublon", item.Value, key, first.Line)
					continue
				}
			}
			slot := dst.Index(kept)
			if d.value(item, f, t.Elem, slot, d.at(item)) {
				kept++
			} else {
				slot.SetZero()
			}
		}
		dst.SetLen(kept)
		return
	}
	if n.Kind != content.Scalar {
		d.wrongType(n, f, t)
		return
	}
	s := n.Value
	switch t.Kind {
	case schema.String:
		if f.Required && strings.TrimSpace(s) == "" {
			d.list.Errorf(d.at(n), diag.MissingKey, "la clé obligatoire « %s » est vide : lui donner une valeur%s", key, example(f))
			return
		}
		if t.Pattern != nil && !t.Pattern.MatchString(s) {
			d.list.Errorf(d.at(n), diag.BadValue, "valeur « %s » refusée pour « %s » : il faut %s", content.Shorten(s), key, t.PatternHint)
			return
		}
		dst.SetString(s)
	case schema.Integer:
		v, err := strconv.ParseInt(s, 0, 64)
		if n.Tag != content.IntTag || err != nil {
			d.wrongType(n, f, t)
			return
		}
		if v < int64(t.Min) || v > int64(t.Max) {
			d.list.Errorf(d.at(n), diag.OutOfRange, "« %s » vaut %s : il faut un nombre entier de %d à %d", key, s, t.Min, t.Max)
			return
		}
		dst.SetInt(v)
	case schema.Date:
		v, err := time.Parse(time.DateOnly, s)
		if err != nil || len(s) != len(time.DateOnly) {
			d.list.Errorf(d.at(n), diag.BadDate, "date « %s » invalide pour « %s » : écrire AAAA-MM-JJ avec une date qui existe, par exemple 2028-06-30", content.Shorten(s), key)
			return
		}
		dst.Set(reflect.ValueOf(v))
	case schema.URL:
		if !validURL(s) {
			d.list.Errorf(d.at(n), diag.BadURL, "adresse « %s » refusée pour « %s » : il faut une adresse complète qui commence par https:// (ou http://)", content.Shorten(s), key)
			return
		}
		dst.SetString(s)
	case schema.Email:
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
			d.list.Errorf(d.at(n), diag.BadEmail, "adresse électronique « %s » refusée pour « %s » : écrire par exemple contact@branche.fr", content.Shorten(s), key)
			return
		}
		dst.SetString(s)
	case schema.Enum:
		for _, v := range t.Values {
			if s == v.Name {
				dst.SetString(v.Name)
				return
			}
		}
		names := t.Names()
		hint := ""
		if c := closest(s, names); c != "" {
			hint = fmt.Sprintf(" (vouliez-vous dire « %s » ?)", c)
		}
		d.list.Errorf(d.at(n), diag.BadValue, "valeur « %s » refusée pour « %s »%s : choisir parmi %s", content.Shorten(s), key, hint, strings.Join(names, ", "))
	}
}

// firstScalar returns the first scalar of items whose text is v, or nil.
func firstScalar(items []*content.Node, v string) *content.Node {
	for _, it := range items {
		if it.Kind == content.Scalar && it.Value == v {
			return it
		}
	}
	return nil
}

func (d *decoder) wrongType(n *content.Node, f *schema.Field, t *schema.Type) {
	hint := ""
	if f.Example != "" {
		hint = fmt.Sprintf(" : écrire par exemple « %s: %s »", f.Key, f.Example)
	}
	want := t.Describe()
	if t.Kind == schema.List {
		want = "une liste" // the shape is what is wrong; the example shows the rest
	}
	d.list.Errorf(d.at(n), diag.WrongType, "« %s » attend %s, pas %s%s", f.Key, want, n.Describe(), hint)
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

// validURL accepts absolute http and https URLs with a host.
func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " \t\n")
}

// frenchKeys are the keys editors most often write in French; the hint
// names the key the model expects.
var frenchKeys = map[string]string{
	"titre": "title", "intitule": "title", "intitulé": "title", "niveau": "level", "numero": "number", "numéro": "number",
	"resume": "summary", "résumé": "summary", "blocs": "blocks", "competences": "skills", "compétences": "skills",
	"metiers": "jobs", "métiers": "jobs", "financement": "funding", "financements": "funding", "acces": "access",
	"accès": "access", "voies": "access", "mots-cles": "keywords", "mots_cles": "keywords", "evaluation": "assessment",
	"évaluation": "assessment", "duree": "duration_hours", "durée": "duration_hours", "heures": "hours",
	"nom": "name", "site": "website", "langue": "language", "statut": "status", "enregistrement": "registration",
	"repertoire": "register", "répertoire": "register", "branche": "branches", "certificateur": "certifier",
	"mise_a_jour": "updated", "echeance": "until", "échéance": "until", "depuis": "since",
}

// suggestKey returns the hint for an unknown key and the key it suggests,
// if any.
func suggestKey(key string, t *schema.Type) (hint, suggestion string) {
	keys := make([]string, len(t.Fields))
	for i, f := range t.Fields {
		keys[i] = f.Key
	}
	if k, ok := frenchKeys[strings.ToLower(key)]; ok && t.Field(k) != nil {
		suggestion = k
	} else {
		suggestion = closest(key, keys)
	}
	if suggestion != "" {
		return fmt.Sprintf("vouliez-vous dire « %s » ?", suggestion), suggestion
	}
	return "clés possibles : " + strings.Join(keys, ", "), ""
}

// closest returns the candidate nearest to s by edit distance, when it is
// near enough to be a likely typo.
func closest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := levenshtein(strings.ToLower(s), c); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(2, len([]rune(s))/3) && bestD < len([]rune(s)) {
		return best
	}
	return ""
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
