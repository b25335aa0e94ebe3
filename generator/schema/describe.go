package schema

import (
	"fmt"
	"strings"
)

// Describe names in French the values a type accepts, with an article, as
// both the checker's messages ("« level » attend un nombre entier de 1 à
// 8, pas …") and the reference docs use it. Objects are "des sous-clés":
// what they are is said by their own fields.
func (t *Type) Describe() string {
	switch t.Kind {
	case Integer:
		return fmt.Sprintf("un nombre entier de %d à %d", t.Min, t.Max)
	case Date:
		return "une date AAAA-MM-JJ"
	case URL:
		return "une adresse web complète (https://…)"
	case Email:
		return "une adresse électronique"
	case Enum:
		return "une valeur parmi " + strings.Join(t.Names(), ", ")
	case Object:
		return "des sous-clés « clé: valeur » indentées en dessous"
	case List:
		var s string
		switch e := t.Elem; e.Kind {
		case Enum:
			s = "une liste de valeurs parmi " + strings.Join(e.Names(), ", ")
		case Object:
			s = "une liste d'éléments à sous-clés"
		case Integer:
			s = fmt.Sprintf("une liste de nombres entiers de %d à %d", e.Min, e.Max)
		case String:
			if e.Pattern != nil {
				s = "une liste de textes de la forme : " + e.PatternHint
			} else {
				s = "une liste de textes"
			}
		default:
			s = "une liste : " + e.Describe()
		}
		if t.MinItems > 0 {
			s += fmt.Sprintf(", au moins %d", t.MinItems)
		}
		if t.Unique {
			s += ", sans doublon"
		}
		return s
	}
	if t.Pattern != nil {
		return "un texte de la forme : " + t.PatternHint
	}
	return "un texte"
}
