// Package schema defines, as data, every key that a content file may hold:
// its type, whether it is required, the values it may take and what they
// mean in French. It is the single source of truth that the checker decodes
// with (Decode) and that the JSON Schema shipped to editors is generated
// from, so the two never disagree.
package schema

import (
	"regexp"
)

// Kind is the type of a value.
type Kind int

const (
	String  Kind = iota // any text
	Integer             // a whole number within [Min, Max]
	Date                // YYYY-MM-DD
	URL                 // an absolute http(s) URL
	Email               // an e-mail address
	Enum                // one of Values
	List                // a sequence of Elem
	Object              // a mapping with Fields
)

// Type describes the values a key accepts.
type Type struct {
	Kind Kind
	// Pattern constrains a String; PatternHint says in French what it wants.
	Pattern     *regexp.Regexp
	PatternHint string
	// Min and Max bound an Integer (both inclusive).
	Min, Max int
	// Values lists an Enum's values.
	Values []Value
	// Elem is a List's element type; Unique forbids duplicate elements and
	// MinItems sets the least number of elements.
	Elem     *Type
	Unique   bool
	MinItems int
	// Fields are an Object's keys, in the order they are documented.
	Fields []Field
}

// Value is one value of an Enum with its French meaning.
type Value struct {
	Name string
	Doc  string
}

// Field is one key of an Object.
type Field struct {
	Key      string
	Type     *Type
	Required bool
	Doc      string // French: what the key means and what it takes
	Example  string // YAML of a typical value, used by `cqp new` and the docs
}

// Doc is one kind of content file.
type Doc struct {
	Name  string // "site", "branch", "cqp", "page"
	Title string // French title for the JSON Schema
	Type  *Type  // always an Object
}

// Names returns the values of an Enum.
func (t *Type) Names() []string {
	names := make([]string, len(t.Values))
	for i, v := range t.Values {
		names[i] = v.Name
	}
	return names
}

// Field returns the field with the given key, or nil.
func (t *Type) Field(key string) *Field {
	for i := range t.Fields {
		if t.Fields[i].Key == key {
			return &t.Fields[i]
		}
	}
	return nil
}

// Patterns shared by the checker, the loader and `cqp new`.
var (
	// IDPattern is the shape of ids and slugs: lower-case ASCII letters,
	// digits and single hyphens.
	IDPattern     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	NumberPattern = regexp.MustCompile(`^(RNCP|RS)[0-9]+$`)
	ROMEPattern   = regexp.MustCompile(`^[A-Z][0-9]{4}$`)
	// LanguagePattern accepts BCP 47 tags such as fr, en, fr-FR, de-CH.
	LanguagePattern = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)
	// CommonWithPattern is <cqp-id>/<block-code>.
	CommonWithPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*/[A-Za-z0-9][A-Za-z0-9._-]*$`)
)

var (
	text     = &Type{Kind: String}
	textList = &Type{Kind: List, Elem: text}
	date     = &Type{Kind: Date}
	url      = &Type{Kind: URL}
	id       = &Type{Kind: String, Pattern: IDPattern, PatternHint: "lettres minuscules sans accents, chiffres et tirets simples (par exemple metallurgie)"}
	positive = &Type{Kind: Integer, Min: 1, Max: 100000}

	contact = &Type{Kind: Object, Fields: []Field{
		{Key: "label", Type: text, Required: true, Doc: "Qui contacter (par exemple « Référent VAE de la branche »).", Example: "Conseiller OPCO 2i"},
		{Key: "url", Type: url, Doc: "Adresse web (https://…).", Example: "https://www.opco2i.fr/"},
		{Key: "email", Type: &Type{Kind: Email}, Doc: "Adresse électronique.", Example: "contact@example.org"},
		{Key: "phone", Type: text, Doc: "Numéro de téléphone, tel qu'il doit s'afficher.", Example: "01 23 45 67 89"},
		{Key: "note", Type: text, Doc: "Précision : pour qui, quand, comment.", Example: "Pour les salariés des entreprises adhérentes."},
	}}
	contacts = &Type{Kind: List, Elem: contact}
)

// Site is content/_index.md.
var Site = &Doc{Name: "site", Title: "Réglages du site (content/_index.md)", Type: &Type{Kind: Object, Fields: []Field{
	{Key: "title", Type: text, Required: true, Doc: "Nom du site.", Example: "Les CQP de la métallurgie"},
	{Key: "description", Type: text, Doc: "Description de la page d'accueil pour les moteurs de recherche.", Example: "Tous les certificats de qualification professionnelle de la branche."},
	{Key: "base_url", Type: url, Required: true, Doc: "Adresse publique du site, éventuellement avec un chemin ; sert aux liens canoniques, au plan du site, au flux et aux données structurées.", Example: "https://cqp.example.org/"},
	{Key: "language", Type: &Type{Kind: String, Pattern: LanguagePattern, PatternHint: "une étiquette de langue BCP 47 comme fr ou en"}, Doc: "Langue du site (fr par défaut) : choisit les textes du thème.", Example: "fr"},
	{Key: "owner", Type: id, Doc: "Identifiant de la branche qui publie le site ; ses CQP passent en premier.", Example: "metallurgie"},
	{Key: "theme", Type: id, Doc: "Nom du thème (default par défaut) ; un dossier themes/<nom>/ remplace le thème intégré fichier par fichier.", Example: "default"},
	{Key: "contacts", Type: contacts, Doc: "Contacts affichés sur le site : référent VAE, France Travail, Mission locale, Cap emploi…"},
}}}

// Branch is content/branches/<id>.md.
var Branch = &Doc{Name: "branch", Title: "Branche professionnelle (content/branches/<id>.md)", Type: &Type{Kind: Object, Fields: []Field{
	{Key: "name", Type: text, Required: true, Doc: "Nom de la branche.", Example: "Métallurgie"},
	{Key: "idcc", Type: &Type{Kind: List, Elem: &Type{Kind: Integer, Min: 1, Max: 99999}, Unique: true}, Doc: "Numéros IDCC des conventions collectives de la branche.", Example: "[3248]"},
	{Key: "cpne", Type: text, Doc: "Commission paritaire nationale de l'emploi de la branche.", Example: "CPNE de la métallurgie"},
	{Key: "opco", Type: text, Doc: "Opérateur de compétences de la branche.", Example: "OPCO 2i"},
	{Key: "website", Type: url, Doc: "Site de la branche.", Example: "https://www.example.org/"},
	{Key: "catalogue_url", Type: url, Doc: "Adresse du catalogue que la branche publie avec cqp ; les pages des CQPI renvoient vers <catalogue_url>cqp/<id>/.", Example: "https://cqp.example.org/"},
	{Key: "contacts", Type: contacts, Doc: "Contacts propres à la branche."},
}}}

// Registers and the other enumerations of a CQP.
var (
	Registers = &Type{Kind: Enum, Values: []Value{
		{"rncp", "Inscrit au Répertoire national des certifications professionnelles : reconnu hors de la branche, avec un niveau ; ouvre le CPF et la VAE."},
		{"rs", "Inscrit au Répertoire spécifique : ouvre le CPF, pas la VAE."},
		{"none", "Seulement transmis à France compétences : reconnu dans les entreprises de la branche."},
	}}
	Statuses = &Type{Kind: Enum, Values: []Value{
		{"active", "Délivré aujourd'hui."},
		{"archived", "N'est plus délivré ; sa page reste en ligne, signalée comme archivée."},
	}}
	Publics = &Type{Kind: Enum, Values: []Value{
		{"jeunes", "Jeunes en fin de formation initiale."},
		{"salaries", "Salariés."},
		{"demandeurs-emploi", "Demandeurs d'emploi."},
	}}
	Access = &Type{Kind: Enum, Values: []Value{
		{"formation", "Par la formation, bloc par bloc."},
		{"vae", "Par la validation des acquis de l'expérience (inscription au RNCP nécessaire)."},
	}}
	Funding = &Type{Kind: Enum, Values: []Value{
		{"plan", "Plan de développement des compétences de l'employeur."},
		{"cpf", "Compte personnel de formation (inscription au RNCP ou au RS nécessaire)."},
		{"contrat-pro", "Contrat de professionnalisation."},
		{"pro-a", "Reconversion ou promotion par alternance (Pro-A)."},
		{"transitions-pro", "Projet de transition professionnelle ou congé VAE, par Transitions Pro."},
		{"opco", "Prise en charge par l'opérateur de compétences."},
	}}
)

// Registration is the registration map of a CQP.
var Registration = &Type{Kind: Object, Fields: []Field{
	{Key: "register", Type: Registers, Required: true, Doc: "Répertoire : rncp, rs, ou none si le CQP est seulement transmis à France compétences.", Example: "rncp"},
	{Key: "number", Type: &Type{Kind: String, Pattern: NumberPattern, PatternHint: "RNCP ou RS suivi de chiffres, par exemple RNCP37890"}, Doc: "Numéro de fiche : obligatoire pour rncp et rs, interdit pour none.", Example: "RNCP37890"},
	{Key: "level", Type: &Type{Kind: Integer, Min: 1, Max: 8}, Doc: "Niveau de qualification de 1 à 8 : obligatoire pour rncp, interdit sinon.", Example: "4"},
	{Key: "since", Type: date, Doc: "Date d'enregistrement (AAAA-MM-JJ).", Example: "2023-06-01"},
	{Key: "until", Type: date, Doc: "Date d'échéance de l'enregistrement (AAAA-MM-JJ).", Example: "2028-06-01"},
}}

// Block is one block of skills.
var Block = &Type{Kind: Object, Fields: []Field{
	{Key: "code", Type: text, Required: true, Doc: "Code du bloc, unique dans le CQP ; pour un CQP inscrit au RNCP : <numéro>BC<deux chiffres>.", Example: "RNCP37890BC01"},
	{Key: "title", Type: text, Required: true, Doc: "Intitulé du bloc.", Example: "Préparer et régler une installation"},
	{Key: "skills", Type: textList, Doc: "Compétences certifiées, une par ligne.", Example: "[Régler les paramètres de l'installation, Contrôler les premières pièces produites]"},
	{Key: "assessment", Type: text, Doc: "Comment l'organisme évaluateur évalue le bloc.", Example: "Mise en situation professionnelle observée, puis entretien."},
	{Key: "hours", Type: positive, Doc: "Durée indicative de formation du bloc, en heures.", Example: "70"},
	{Key: "common_with", Type: &Type{Kind: List, Unique: true, Elem: &Type{Kind: String, Pattern: CommonWithPattern, PatternHint: "<identifiant du CQP>/<code du bloc>, par exemple cqpi-operateur-qualite/B01"}}, Doc: "Blocs d'autres CQP qui certifient les mêmes compétences (passerelles), sous la forme <cqp>/<code>.", Example: "[cqpi-operateur-qualite/B01]"},
}}

// CQP is content/cqp/<id>.md.
var CQP = &Doc{Name: "cqp", Title: "CQP ou CQPI (content/cqp/<id>.md)", Type: &Type{Kind: Object, Fields: []Field{
	{Key: "title", Type: text, Required: true, Doc: "Intitulé du certificat.", Example: "Conducteur d'équipements industriels"},
	{Key: "code", Type: text, Doc: "Code propre à la branche, s'il existe.", Example: "MQ 2019 09 69 0312"},
	{Key: "branches", Type: &Type{Kind: List, Elem: id, Unique: true, MinItems: 1}, Required: true, Doc: "Identifiants des branches qui délivrent le certificat ; deux ou plus en font un CQPI.", Example: "[metallurgie]"},
	{Key: "certifier", Type: text, Doc: "Qui délivre le certificat (par défaut, la CPNE de la première branche).", Example: "CPNE de la métallurgie"},
	{Key: "registration", Type: Registration, Required: true, Doc: "Enregistrement auprès de France compétences."},
	{Key: "status", Type: Statuses, Doc: "active (par défaut) ou archived.", Example: "active"},
	{Key: "summary", Type: text, Doc: "Une phrase qui résume le métier, pour les listes, les moteurs de recherche et les résultats.", Example: "Conduire une ligne de production automatisée en sécurité."},
	{Key: "publics", Type: &Type{Kind: List, Elem: Publics, Unique: true}, Doc: "Publics visés.", Example: "[jeunes, salaries, demandeurs-emploi]"},
	{Key: "access", Type: &Type{Kind: List, Elem: Access, Unique: true}, Doc: "Voies d'accès au certificat.", Example: "[formation, vae]"},
	{Key: "funding", Type: &Type{Kind: List, Elem: Funding, Unique: true}, Doc: "Financements possibles.", Example: "[plan, cpf, contrat-pro]"},
	{Key: "duration_hours", Type: positive, Doc: "Durée indicative de la formation complète, en heures.", Example: "420"},
	{Key: "jobs", Type: &Type{Kind: List, Elem: &Type{Kind: Object, Fields: []Field{
		{Key: "title", Type: text, Required: true, Doc: "Intitulé du métier.", Example: "Conducteur de ligne"},
		{Key: "rome", Type: &Type{Kind: String, Pattern: ROMEPattern, PatternHint: "une lettre majuscule et quatre chiffres, par exemple H2903"}, Doc: "Code ROME du métier.", Example: "H2903"},
	}}}, Doc: "Métiers visés, avec leur code ROME."},
	{Key: "blocks", Type: &Type{Kind: List, Elem: Block}, Doc: "Blocs de compétences."},
	{Key: "keywords", Type: textList, Doc: "Mots de recherche supplémentaires.", Example: "[soudure, chaudronnerie]"},
	{Key: "updated", Type: date, Doc: "Date de la dernière révision du référentiel ou de cette page (AAAA-MM-JJ).", Example: "2025-01-15"},
}}}

// Page is content/pages/<slug>.md.
var Page = &Doc{Name: "page", Title: "Page libre (content/pages/<slug>.md)", Type: &Type{Kind: Object, Fields: []Field{
	{Key: "title", Type: text, Required: true, Doc: "Titre de la page.", Example: "Obtenir un CQP par la VAE"},
	{Key: "description", Type: text, Doc: "Description pour les moteurs de recherche.", Example: "Les étapes de la VAE, du livret 1 au jury."},
	{Key: "menu", Type: &Type{Kind: Integer, Min: -1000, Max: 1000}, Doc: "Position dans le menu principal ; sans cette clé, la page n'y figure pas.", Example: "10"},
}}}

// Docs lists every kind of content file.
var Docs = []*Doc{Site, Branch, CQP, Page}

// ReservedSlugs are the names the site uses at its top level; a free page
// may not take one.
var ReservedSlugs = []string{"cqp", "branches", "cqpi", "niveaux", "recherche", "search", "schema"}
