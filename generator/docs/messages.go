package docs

import (
	"fmt"
	"slices"
	"strings"
	"testing/fstest"
	"time"

	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/site"
)

// Message explains one diagnostic code to editors.
type Message struct {
	Code  string
	Title string // French, short: what is wrong
	Why   string // French: the rule behind it
	Fix   string // French: how to fix it
	// Example breaks the example site so that `cqp check` prints the
	// message; nil for a code that cqp does not print yet.
	Example *Break
}

// Break is one change to the example site.
type Break struct {
	Path string
	// Old is replaced by New in the file at Path; with Old empty, the file
	// is created with New as its content (or removed when New is empty too).
	Old, New string
	// Dir makes Path a folder instead of a file.
	Dir bool
	// Intro, when set, says in French what the change is, where the
	// changed line alone would not (Markdown, after "Par exemple, ").
	Intro string
}

// ExampleSite is a small valid site: each message's example breaks one
// thing in it. It passes `cqp check --strict` untouched.
var ExampleSite = map[string]string{
	"content/_index.md": `---
title: Les CQP de la métallurgie
base_url: https://cqp.example.org/
owner: metallurgie
contacts:
  - label: Référent VAE
    email: vae@example.org
---

Les certificats de la branche. Pour faire reconnaître son expérience : [la VAE](page:vae).
`,
	"content/branches/metallurgie.md": `---
name: Métallurgie
idcc: [3248]
opco: OPCO 2i
website: https://www.example.org/
---
`,
	"content/branches/plasturgie.md": `---
name: Plasturgie
website: https://www.example.net/
---
`,
	"content/cqp/soudeur-industriel.md": `---
title: Soudeur industriel
branches: [metallurgie]
registration:
  register: rncp
  number: RNCP12345
  level: 3
  since: 2023-06-01
  until: 2028-06-01
summary: Souder des assemblages en acier selon un dossier technique.
access: [formation, vae]
funding: [plan, cpf]
jobs:
  - title: Soudeur
    rome: H2913
blocks:
  - code: RNCP12345BC01
    title: Préparer le soudage
  - code: RNCP12345BC02
    title: Souder des assemblages
    common_with: [cqpi-operateur-qualite/B01]
---

Le soudeur assemble des pièces métalliques. Voir aussi [le CQPI Opérateur qualité](cqp:cqpi-operateur-qualite).
`,
	"content/cqp/cqpi-operateur-qualite.md": `---
title: Opérateur qualité
branches: [metallurgie, plasturgie]
registration:
  register: none
summary: Contrôler la conformité des produits à chaque étape de la fabrication.
access: [formation]
funding: [plan]
blocks:
  - code: B01
    title: Contrôler la conformité des produits
---
`,
	"content/pages/vae.md": `---
title: La VAE
menu: 1
---

Les étapes de la validation des acquis de l'expérience.
`,
}

// ExampleToday is the date the examples are checked at.
var ExampleToday = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)

const (
	soudeur = "content/cqp/soudeur-industriel.md"
	cqpi    = "content/cqp/cqpi-operateur-qualite.md"
	home    = "content/_index.md"
	metal   = "content/branches/metallurgie.md"
	plast   = "content/branches/plasturgie.md"
)

const validNew = "---\ntitle: Chaudronnier\nbranches: [metallurgie]\nregistration:\n  register: none\nsummary: Fabriquer des ensembles chaudronnés.\nblocks:\n  - code: B01\n    title: Tracer et découper\n---\n"

// Messages lists every diagnostic code with its explanation, in the order
// of the guide. A test keeps it equal to the codes of generator/diag.
var Messages = []Message{
	// Files.
	{diag.Unreadable, "fichier illisible", "cqp n'a pas pu lire le fichier : droits d'accès, lien cassé, ou un dossier qui porte le nom d'un fichier Markdown.", "Vérifier que le chemin désigne bien un fichier texte lisible ; renommer le dossier s'il s'appelle comme une fiche.",
		&Break{Path: "content/cqp/brouillon.md", Dir: true}},
	{diag.InvalidUTF8, "fichier qui n'est pas en UTF-8", "Les fichiers doivent être enregistrés en UTF-8, l'encodage de presque tous les éditeurs. Un fichier venu d'un ancien traitement de texte est souvent en Latin-1 ou Windows-1252 : ses accents ne se lisent pas.", "Rouvrir le fichier dans l'éditeur et l'enregistrer en choisissant l'encodage UTF-8 ; la position indiquée montre le premier caractère fautif.",
		&Break{Path: "content/pages/vae.md", Old: "title: La VAE", New: "title: La VAE \xe9tape par \xe9tape"}},
	{diag.NoFrontMatter, "en-tête absent", "Chaque fichier commence par un en-tête : une ligne `---`, les clés, puis une autre ligne `---`. Sans lui, cqp ne sait pas de quoi parle le fichier.", "Ajouter en haut du fichier une ligne `---`, les clés obligatoires (par exemple `title:`), puis une ligne `---`.",
		&Break{Path: "content/pages/contacts.md", New: "# Contacts\n\nNous joindre.\n"}},
	{diag.Unclosed, "en-tête non fermé", "La ligne `---` qui ferme l'en-tête manque : tout le fichier serait lu comme des clés.", "Ajouter une ligne `---` après la dernière clé, avant le texte de la page.",
		&Break{Path: "content/pages/contacts.md", New: "---\ntitle: Contacts\n\nNous joindre.\n"}},
	{diag.YAMLSyntax, "syntaxe YAML incorrecte", "L'en-tête est écrit en YAML : `clé: valeur`, une clé par ligne, les sous-clés indentées par des espaces. Un deux-points suivi d'un espace dans une valeur, une tabulation ou un guillemet non fermé le rendent illisible.", "Mettre entre guillemets une valeur qui contient « : » (`summary: \"Souder : acier et inox\"`), indenter avec des espaces, fermer les guillemets et les crochets.",
		&Break{Path: soudeur, Old: "summary: Souder des assemblages en acier selon un dossier technique.", New: "summary: Souder : acier et inox"}},
	{diag.YAMLAlias, "ancre ou alias YAML", "Les ancres (`&nom`), alias (`*nom`) et fusions (`<<`) de YAML ne sont pas acceptés : ils rendent un fichier difficile à relire et peuvent servir à le faire exploser en mémoire.", "Recopier la valeur à chaque endroit où elle sert.",
		&Break{Path: soudeur, Old: "funding: [plan, cpf]", New: "funding: &financements [plan, cpf]"}},
	{diag.DuplicateKey, "clé en double", "Une même clé écrite deux fois dans le même en-tête (ou le même bloc) : on ne saurait pas laquelle croire.", "Garder une seule des deux lignes, celle qui est juste.",
		&Break{Path: soudeur, Old: "title: Soudeur industriel\n", New: "title: Soudeur industriel\ntitle: Soudeur\n"}},
	{diag.BadName, "nom de fichier refusé", "Le nom d'un fichier de `content/cqp/`, `content/branches/` ou `content/pages/` devient l'identifiant de la fiche et l'adresse de sa page : lettres minuscules sans accents, chiffres et tirets simples seulement.", "Renommer le fichier comme le message le propose, et mettre à jour les liens et les listes qui l'utilisent.",
		&Break{Path: "content/cqp/Soudeur Inox.md", New: validNew}},
	{diag.MisplacedFile, "fichier mal placé", "cqp ne lit les fiches que dans `content/cqp/`, `content/branches/` et `content/pages/` (et le fichier du site, `content/_index.md`).", "Déplacer le fichier dans le bon dossier.",
		&Break{Path: "content/chaudronnier.md", New: validNew}},
	{diag.IgnoredFile, "fichier ignoré (avertissement)", "Un fichier qui n'est pas un `.md` dans `content/` n'est pas publié : c'est souvent un oubli (une image, un brouillon).", "Le retirer de `content/`, ou le renommer en `.md` s'il s'agit d'une fiche. Un nom qui commence par `_` ou `.` est ignoré sans avertissement.",
		&Break{Path: "content/cqp/photo.jpg", New: "JPEG"}},
	{diag.MissingSite, "fichier du site absent", "`content/_index.md` porte les réglages du site (titre, adresse) et le texte de la page d'accueil ; il est obligatoire.", "Créer `content/_index.md` avec au moins `title` et `base_url` (voir « Les clés du site »).",
		&Break{Path: home}},
	{diag.ReservedSlug, "nom de page réservé", "Certaines adresses servent déjà au site : `cqp`, `branches`, `cqpi`, `niveaux`, `recherche`, `search`, `schema`. Une page libre ne peut pas les prendre.", "Renommer le fichier de la page, par exemple `recherche-infos.md`.",
		&Break{Path: "content/pages/recherche.md", New: "---\ntitle: Rechercher un CQP\n---\n"}},

	// Keys and values.
	{diag.UnknownKey, "clé inconnue", "Chaque type de fiche a une liste de clés (voir « Toutes les clés »). Une clé mal orthographiée, ou écrite en français, n'est pas lue : sa valeur serait perdue.", "Corriger le nom de la clé ; le message propose la clé la plus proche.",
		&Break{Path: soudeur, Old: "title: Soudeur industriel", New: "titre: Soudeur industriel"}},
	{diag.MissingKey, "clé obligatoire absente ou vide", "Certaines clés sont obligatoires : `title` d'un CQP, `branches`, `registration` et son `register`, `name` d'une branche, `title` et `base_url` du site, `code` et `title` d'un bloc…", "Ajouter la clé avec sa valeur ; le message donne un exemple.",
		&Break{Path: soudeur, Old: "title: Soudeur industriel\n", New: ""}},
	{diag.WrongType, "valeur du mauvais type", "Chaque clé attend un type de valeur : un texte, un nombre entier, une liste (`[a, b]` ou des lignes `- a`), des sous-clés indentées. Un nombre entre guillemets est un texte.", "Écrire la valeur sous la forme que donne le message, par exemple `level: 4` sans guillemets.",
		&Break{Path: soudeur, Old: "level: 3", New: "level: trois"}},
	{diag.BadValue, "valeur refusée", "Certaines clés n'acceptent que des valeurs d'une liste (`register`, `status`, `publics`, `access`, `funding`) ou d'une forme précise (identifiants, numéros RNCP ou RS, codes ROME, `common_with`). Une liste obligatoire ne peut pas être vide.", "Choisir une valeur parmi celles que le message énumère, ou l'écrire sous la forme demandée.",
		&Break{Path: soudeur, Old: "access: [formation, vae]", New: "access: [formation, alternance]"}},
	{diag.BadDate, "date invalide", "Les dates s'écrivent année-mois-jour, `AAAA-MM-JJ`, et doivent exister.", "Réécrire la date, par exemple `2028-06-30` pour le 30 juin 2028.",
		&Break{Path: soudeur, Old: "since: 2023-06-01", New: "since: 01/06/2023"}},
	{diag.BadURL, "adresse web refusée", "Une adresse web doit être complète : elle commence par `https://` (ou `http://`) et nomme le site.", "Écrire l'adresse entière, par exemple `https://www.example.org/`.",
		&Break{Path: metal, Old: "website: https://www.example.org/", New: "website: www.example.org"}},
	{diag.BadEmail, "adresse électronique refusée", "Une adresse électronique s'écrit `nom@domaine.fr`, sans nom affiché ni espace.", "Corriger l'adresse, par exemple `vae@branche.fr`.",
		&Break{Path: home, Old: "email: vae@example.org", New: "email: vae.example.org"}},
	{diag.OutOfRange, "nombre hors limites", "Les nombres ont des bornes : un niveau va de 1 à 8, une durée en heures est positive.", "Écrire un nombre entre les bornes que donne le message.",
		&Break{Path: soudeur, Old: "level: 3", New: "level: 9"}},
	{diag.DuplicateItem, "valeur en double dans une liste", "Une liste (`branches`, `publics`, `access`, `funding`, `idcc`, `common_with`) ne contient pas deux fois la même valeur.", "Retirer le doublon.",
		&Break{Path: soudeur, Old: "funding: [plan, cpf]", New: "funding: [plan, cpf, plan]"}},

	// Rules of a CQP.
	{diag.DatesOrder, "échéance avant l'enregistrement", "`until` (l'échéance de l'enregistrement) ne peut pas précéder `since` (sa date).", "Vérifier les deux dates sur la fiche de France compétences.",
		&Break{Path: soudeur, Old: "until: 2028-06-01", New: "until: 2022-06-01"}},
	{diag.NumberPrefix, "numéro qui ne correspond pas au répertoire", "Un CQP inscrit au RNCP a un numéro `RNCP…`, un CQP inscrit au RS un numéro `RS…`.", "Corriger le numéro, ou `register` s'il est faux.",
		&Break{Path: soudeur, Old: "number: RNCP12345", New: "number: RS12345"}},
	{diag.NumberRequired, "numéro d'enregistrement absent", "Un CQP inscrit au RNCP ou au RS a un numéro de fiche, que les visiteurs retrouvent sur le site de France compétences.", "Ajouter `number:` sous `registration`, par exemple `number: RNCP37890`.",
		&Break{Path: soudeur, Old: "  number: RNCP12345\n", New: ""}},
	{diag.NumberForbidden, "numéro pour un CQP non inscrit", "Un CQP seulement transmis à France compétences (`register: none`) n'a pas de numéro RNCP ou RS.", "Retirer `number`, ou corriger `register` si le CQP est inscrit.",
		&Break{Path: cqpi, Old: "  register: none\n", New: "  register: none\n  number: RNCP99999\n"}},
	{diag.LevelRequired, "niveau absent", "Depuis 2019, un CQP inscrit au RNCP a un niveau de qualification, de 1 à 8, comme un diplôme.", "Ajouter `level:` sous `registration`, avec le niveau de la fiche RNCP.",
		&Break{Path: soudeur, Old: "  level: 3\n", New: ""}},
	{diag.LevelForbidden, "niveau sans inscription au RNCP", "Seul le RNCP donne un niveau : un CQP inscrit au RS ou seulement transmis n'en a pas.", "Retirer `level`, ou corriger `register`.",
		&Break{Path: cqpi, Old: "  register: none\n", New: "  register: none\n  level: 3\n"}},
	{diag.DuplicateBlock, "code de bloc en double", "Chaque bloc d'un CQP a son propre code : c'est lui que désignent les passerelles.", "Donner au second bloc le code qui lui revient.",
		&Break{Path: soudeur, Old: "code: RNCP12345BC02", New: "code: RNCP12345BC01", Intro: "quand les deux blocs de `content/cqp/soudeur-industriel.md` ont le code `RNCP12345BC01`"}},
	{diag.BlockCode, "code de bloc RNCP mal formé", "Les blocs d'un CQP inscrit au RNCP ont le code que leur donne France compétences : le numéro de la fiche, `BC`, puis deux chiffres (`RNCP12345BC01`).", "Recopier le code du bloc depuis la fiche RNCP.",
		&Break{Path: soudeur, Old: "code: RNCP12345BC01", New: "code: BC01"}},
	{diag.VAENeedsRNCP, "VAE sans inscription au RNCP", "La VAE n'est ouverte que pour un CQP inscrit au RNCP.", "Retirer `vae` de `access`, ou, si le CQP est inscrit au RNCP, corriger `registration`.",
		&Break{Path: cqpi, Old: "access: [formation]", New: "access: [formation, vae]"}},
	{diag.CPFNeedsRegistration, "CPF sans inscription au RNCP ou au RS", "Le compte personnel de formation ne finance qu'un CQP inscrit au RNCP ou au RS.", "Retirer `cpf` de `funding`, ou corriger `registration` si le CQP est inscrit.",
		&Break{Path: cqpi, Old: "funding: [plan]", New: "funding: [plan, cpf]"}},

	// Rules across files.
	{diag.UnknownBranch, "branche inconnue", "Chaque branche citée (dans `branches` d'un CQP, ou `owner` du site) doit avoir sa fiche dans `content/branches/`, sous le même identifiant.", "Corriger l'identifiant (le message propose le plus proche), ou créer la fiche de la branche (`cqp new branch <id>`).",
		&Break{Path: soudeur, Old: "branches: [metallurgie]", New: "branches: [metalurgie]"}},
	{diag.UnknownCommon, "passerelle vers un bloc inconnu", "`common_with` désigne un bloc d'un autre CQP, sous la forme `<identifiant du CQP>/<code du bloc>` ; ce CQP et ce bloc doivent exister.", "Corriger l'identifiant ou le code ; le message liste les codes des blocs du CQP visé.",
		&Break{Path: soudeur, Old: "common_with: [cqpi-operateur-qualite/B01]", New: "common_with: [cqpi-operateur-qualite/B09]"}},
	{diag.SelfCommon, "passerelle vers le même CQP", "Une passerelle relie les blocs de deux CQP différents.", "Désigner le bloc de l'autre CQP.",
		&Break{Path: soudeur, Old: "common_with: [cqpi-operateur-qualite/B01]", New: "common_with: [soudeur-industriel/RNCP12345BC01]"}},
	{diag.DuplicateNumber, "numéro d'enregistrement en double", "Deux fiches ne peuvent pas porter le même numéro RNCP ou RS : l'une d'elles se trompe, ou le même CQP est écrit deux fois.", "Corriger le numéro de l'une des fiches, ou supprimer le doublon.",
		&Break{Path: "content/cqp/soudeur-inox.md", New: "---\ntitle: Soudeur inox\nbranches: [metallurgie]\nregistration:\n  register: rncp\n  number: RNCP12345\n  level: 3\nsummary: Souder l'inox.\nblocks:\n  - code: RNCP12345BC01\n    title: Souder\n---\n"}},
	{diag.BrokenLink, "lien cassé", "Dans le texte, `[texte](cqp:<id>)`, `[texte](branche:<id>)` et `[texte](page:<nom>)` renvoient vers une autre fiche du catalogue, qui doit exister.", "Corriger l'identifiant dans le lien ; le message propose le plus proche.",
		&Break{Path: soudeur, Old: "(cqp:cqpi-operateur-qualite)", New: "(cqp:operateur-qualite)", Intro: "avec le lien `[le CQPI Opérateur qualité](cqp:operateur-qualite)` dans le texte de `content/cqp/soudeur-industriel.md`"}},

	// Warnings.
	{diag.Expired, "enregistrement échu (avertissement)", "La date d'échéance (`until`) est passée : la fiche RNCP ou RS n'est peut-être plus active.", "Si l'enregistrement a été renouvelé, mettre à jour `since` et `until` ; sinon, passer le CQP en `status: archived`.",
		&Break{Path: soudeur, Old: "until: 2028-06-01", New: "until: 2025-06-30"}},
	{diag.NoBlocks, "CQP sans blocs (avertissement)", "Les blocs de compétences disent ce que le CQP certifie ; sans eux, sa page est presque vide.", "Ajouter `blocks`, avec au moins le `code` et le `title` de chaque bloc.",
		&Break{Path: "content/cqp/chaudronnier.md", New: "---\ntitle: Chaudronnier\nbranches: [metallurgie]\nregistration:\n  register: none\nsummary: Fabriquer des ensembles chaudronnés.\n---\n"}},
	{diag.NoSummary, "CQP sans résumé (avertissement)", "Le résumé est la phrase reprise dans les listes, les résultats de recherche et les moteurs de recherche.", "Ajouter `summary:` et une phrase qui dit ce que fait le titulaire.",
		&Break{Path: "content/cqp/chaudronnier.md", New: "---\ntitle: Chaudronnier\nbranches: [metallurgie]\nregistration:\n  register: none\nblocks:\n  - code: B01\n    title: Tracer et découper\n---\n"}},
	{diag.PartnerNoLink, "branche partenaire sans adresse (avertissement)", "La page d'un CQPI renvoie vers les branches qui le portent ; sans `website` ni `catalogue_url`, les visiteurs ne trouvent pas la branche partenaire.", "Ajouter à la fiche de la branche `website`, ou `catalogue_url` si elle publie son catalogue avec cqp.",
		&Break{Path: plast, Old: "website: https://www.example.net/\n", New: ""}},
}

// Apply returns the example site with the break applied.
func (b *Break) Apply() (fstest.MapFS, error) {
	fsys := fstest.MapFS{}
	for p, s := range ExampleSite {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	switch {
	case b.Dir:
		fsys[b.Path+"/notes.txt"] = &fstest.MapFile{Data: []byte("notes")}
	case b.Old == "" && b.New == "":
		delete(fsys, b.Path)
	case b.Old == "":
		if _, ok := fsys[b.Path]; ok {
			return nil, fmt.Errorf("%s exists already", b.Path)
		}
		fsys[b.Path] = &fstest.MapFile{Data: []byte(b.New)}
	default:
		f, ok := fsys[b.Path]
		if !ok || strings.Count(string(f.Data), b.Old) != 1 {
			return nil, fmt.Errorf("%s: %q must occur exactly once", b.Path, b.Old)
		}
		fsys[b.Path] = &fstest.MapFile{Data: []byte(strings.Replace(string(f.Data), b.Old, b.New, 1))}
	}
	return fsys, nil
}

// Printed runs the check on the broken site and returns the first
// diagnostic of the code, as `cqp check` prints it.
func (m *Message) Printed() (diag.Diagnostic, error) {
	if m.Example == nil {
		return diag.Diagnostic{}, fmt.Errorf("%s: no example", m.Code)
	}
	fsys, err := m.Example.Apply()
	if err != nil {
		return diag.Diagnostic{}, fmt.Errorf("%s: %w", m.Code, err)
	}
	_, list := site.Check(fsys, site.Options{Today: ExampleToday})
	i := slices.IndexFunc(list, func(d diag.Diagnostic) bool { return d.Code == m.Code })
	if i < 0 {
		return diag.Diagnostic{}, fmt.Errorf("%s: the example does not make cqp check print it; it prints:\n%v", m.Code, list)
	}
	return list[i], nil
}
