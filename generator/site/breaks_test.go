package site_test

import "testing"

const (
	soudeur = "content/cqp/soudeur.md"
	cqpi    = "content/cqp/cqpi-logistique.md"
	oper    = "content/cqp/operateur.md"
	home    = "content/_index.md"
	metal   = "content/branches/metallurgie.md"
	chimie  = "content/branches/chimie.md"
	vae     = "content/pages/vae.md"
)

func TestBreakOneLine(t *testing.T) {
	runBreaks(t, []breakCase{
		{name: "unknown-key", path: soudeur, old: "title: Soudeur", new: "titel: Soudeur", want: []string{
			"content/cqp/soudeur.md:2:1: error: clé inconnue « titel » : vouliez-vous dire « title » ?",
		}},
		{name: "unknown-key-french", path: soudeur, old: "summary:", new: "resume:", want: []string{
			"content/cqp/soudeur.md:1:1: warning: CQP sans résumé : ajouter « summary », une phrase reprise dans les listes et les résultats de recherche",
			"content/cqp/soudeur.md:10:1: error: clé inconnue « resume » : vouliez-vous dire « summary » ?",
		}},
		{name: "unknown-key-nested", path: soudeur, old: "    hours: 70", new: "    heures: 70", want: []string{
			"content/cqp/soudeur.md:22:5: error: clé inconnue « heures » : vouliez-vous dire « hours » ?",
		}},
		{name: "missing-key", path: metal, old: "name: Métallurgie\n", new: "", want: []string{
			"content/branches/metallurgie.md:1:1: error: clé obligatoire « name » absente : ajouter « name: … », par exemple « name: Métallurgie »",
		}},
		{name: "missing-key-nested", path: soudeur, old: "    title: Souder\n", new: "", want: []string{
			"content/cqp/soudeur.md:24:5: error: clé obligatoire « title » absente : ajouter « title: … », par exemple « title: Préparer et régler une installation »",
		}},
		{name: "empty-required", path: cqpi, old: "title: Agent logistique", new: "title:", want: []string{
			"content/cqp/cqpi-logistique.md:2:1: error: la clé obligatoire « title » est vide : lui donner une valeur, par exemple « title: Conducteur d'équipements industriels »",
		}},
		{name: "wrong-type-list", path: soudeur, old: "branches: [metallurgie]", new: "branches: metallurgie", want: []string{
			"content/cqp/soudeur.md:3:11: error: « branches » attend une liste, pas le texte « metallurgie » : écrire par exemple « branches: [metallurgie] »",
		}},
		{name: "wrong-type-int", path: soudeur, old: "level: 3", new: "level: trois", want: []string{
			"content/cqp/soudeur.md:7:10: error: « level » attend un nombre entier de 1 à 8, pas le texte « trois » : écrire par exemple « level: 4 »",
		}},
		{name: "wrong-type-map", path: soudeur, old: "  - title: Soudeur\n    rome: H2913", new: "  - Soudeur", want: []string{
			"content/cqp/soudeur.md:15:5: error: « jobs » attend des sous-clés « clé: valeur » indentées en dessous, pas le texte « Soudeur »",
		}},
		{name: "out-of-range", path: soudeur, old: "level: 3", new: "level: 9", want: []string{
			"content/cqp/soudeur.md:7:10: error: « level » vaut 9 : il faut un nombre entier de 1 à 8",
		}},
		{name: "bad-enum", path: soudeur, old: "register: rncp", new: "register: rcnp", want: []string{
			"content/cqp/soudeur.md:5:13: error: valeur « rcnp » refusée pour « register » (vouliez-vous dire « rncp » ?) : choisir parmi rncp, rs, none",
		}},
		{name: "bad-enum-item", path: soudeur, old: "publics: [jeunes, salaries]", new: "publics: [jeunes, salariés]", want: []string{
			"content/cqp/soudeur.md:11:19: error: valeur « salariés » refusée pour « publics » (vouliez-vous dire « salaries » ?) : choisir parmi jeunes, salaries, demandeurs-emploi",
		}},
		{name: "duplicate-item", path: soudeur, old: "funding: [plan, cpf]", new: "funding: [plan, cpf, plan]", want: []string{
			"content/cqp/soudeur.md:13:22: error: « plan » figure deux fois dans « funding » (déjà ligne 13) : retirer le doublon",
		}},
		{name: "duplicate-branch", path: cqpi, old: "branches: [metallurgie, chimie]", new: "branches: [metallurgie, metallurgie]", want: []string{
			"content/cqp/cqpi-logistique.md:3:25: error: « metallurgie » figure deux fois dans « branches » (déjà ligne 3) : retirer le doublon",
		}},
		{name: "empty-branches", path: soudeur, old: "branches: [metallurgie]", new: "branches: []", want: []string{
			"content/cqp/soudeur.md:3:11: error: la liste « branches » est vide : elle doit contenir au moins 1 élément",
		}},
		{name: "bad-date", path: soudeur, old: "since: 2023-06-01", new: "since: 2023-13-01", want: []string{
			"content/cqp/soudeur.md:8:10: error: date « 2023-13-01 » invalide pour « since » : écrire AAAA-MM-JJ avec une date qui existe, par exemple 2028-06-30",
		}},
		{name: "bad-date-format", path: soudeur, old: "updated: 2025-01-15", new: "updated: 15/01/2025", want: []string{
			"content/cqp/soudeur.md:26:10: error: date « 15/01/2025 » invalide pour « updated » : écrire AAAA-MM-JJ avec une date qui existe, par exemple 2028-06-30",
		}},
		{name: "dates-order", path: soudeur, old: "since: 2023-06-01", new: "since: 2029-06-01", want: []string{
			"content/cqp/soudeur.md:9:10: error: échéance « 2028-06-01 » antérieure à la date d'enregistrement « 2029-06-01 » : vérifier « since » et « until »",
		}},
		{name: "bad-url", path: metal, old: "website: https://www.example.org/metallurgie/", new: "website: www.example.org", want: []string{
			"content/branches/metallurgie.md:6:10: error: adresse « www.example.org » refusée pour « website » : il faut une adresse complète qui commence par https:// (ou http://)",
		}},
		{name: "bad-url-scheme", path: metal, old: "website: https://www.example.org/metallurgie/", new: "website: javascript:alert(1)", want: []string{
			"content/branches/metallurgie.md:6:10: error: adresse « javascript:alert(1) » refusée pour « website » : il faut une adresse complète qui commence par https:// (ou http://)",
		}},
		{name: "bad-email", path: home, old: "email: vae@example.org", new: "email: vae-at-example", want: []string{
			"content/_index.md:8:12: error: adresse électronique « vae-at-example » refusée pour « email » : écrire par exemple contact@branche.fr",
		}},
		{name: "bad-rome", path: soudeur, old: "rome: H2913", new: "rome: H291", want: []string{
			"content/cqp/soudeur.md:16:11: error: valeur « H291 » refusée pour « rome » : il faut une lettre majuscule et quatre chiffres, par exemple H2903",
		}},
		{name: "bad-number", path: soudeur, old: "number: RNCP37890", new: "number: 37890", want: []string{
			"content/cqp/soudeur.md:6:11: error: valeur « 37890 » refusée pour « number » : il faut RNCP ou RS suivi de chiffres, par exemple RNCP37890",
		}},
		{name: "number-prefix", path: cqpi, old: "number: RS5678", new: "number: RNCP5678", want: []string{
			"content/cqp/cqpi-logistique.md:6:11: error: le numéro « RNCP5678 » ne correspond pas au répertoire « rs » : il doit commencer par RS, ou bien corriger « register »",
		}},
		{name: "number-required", path: cqpi, old: "  number: RS5678\n", new: "", want: []string{
			"content/cqp/cqpi-logistique.md:4:1: error: numéro d'enregistrement absent : un CQP inscrit au RS a un numéro « number: RS… »",
		}},
		{name: "number-forbidden", path: oper, old: "  register: none", new: "  register: none\n  number: RNCP1234", want: []string{
			"content/cqp/operateur.md:6:11: error: numéro « RNCP1234 » pour un CQP seulement transmis à France compétences (register: none) : retirer « number » ou corriger « register »",
		}},
		{name: "level-required", path: soudeur, old: "  level: 3\n", new: "", want: []string{
			"content/cqp/soudeur.md:4:1: error: niveau absent : un CQP inscrit au RNCP a un niveau de 1 à 8, par exemple « level: 4 »",
		}},
		{name: "level-forbidden", path: cqpi, old: "  number: RS5678", new: "  number: RS5678\n  level: 4", want: []string{
			"content/cqp/cqpi-logistique.md:7:10: error: niveau « 4 » pour un enregistrement « rs » : seul le RNCP donne un niveau ; retirer « level »",
		}},
		{name: "duplicate-block", path: soudeur, old: "code: RNCP37890BC02", new: "code: RNCP37890BC01", want: []string{
			"content/cqp/soudeur.md:24:11: error: code de bloc « RNCP37890BC01 » en double (déjà ligne 18) : chaque bloc a son propre code",
		}},
		{name: "block-code", path: soudeur, old: "code: RNCP37890BC02", new: "code: BC02", want: []string{
			"content/cqp/soudeur.md:24:11: error: code de bloc « BC02 » refusé : pour la fiche RNCP37890, un bloc s'écrit RNCP37890BC suivi de deux chiffres, par exemple RNCP37890BC01",
		}},
		{name: "vae-needs-rncp", path: cqpi, old: "access: [formation]", new: "access: [formation, vae]", want: []string{
			"content/cqp/cqpi-logistique.md:8:21: error: accès « vae » impossible : la VAE n'est ouverte qu'aux CQP inscrits au RNCP (ici « rs ») ; retirer « vae » de « access »",
		}},
		{name: "cpf-needs-registration", path: oper, old: "summary: Conduire", new: "funding: [cpf]\nsummary: Conduire", want: []string{
			"content/cqp/operateur.md:6:11: error: financement « cpf » impossible : le CPF ne finance qu'un CQP inscrit au RNCP ou au RS (ici « none ») ; retirer « cpf » de « funding »",
		}},
		{name: "unknown-branch", path: soudeur, old: "branches: [metallurgie]", new: "branches: [metalurgie]", want: []string{
			"content/cqp/soudeur.md:3:12: error: branche « metalurgie » inconnue dans « branches » : vouliez-vous dire « metallurgie » ?",
		}},
		{name: "unknown-owner", path: home, old: "owner: metallurgie", new: "owner: plasturgie", want: []string{
			"content/_index.md:5:8: error: branche « plasturgie » inconnue pour « owner » : identifiants possibles : chimie, metallurgie",
		}},
		{name: "unknown-common-with-cqp", path: soudeur, old: "common_with: [cqpi-logistique/B01]", new: "common_with: [cqpi-logistic/B01]", want: []string{
			"content/cqp/soudeur.md:23:19: error: CQP « cqpi-logistic » inconnu dans « common_with » : vouliez-vous dire « cqpi-logistique » ?",
		}},
		{name: "unknown-common-with-block", path: soudeur, old: "common_with: [cqpi-logistique/B01]", new: "common_with: [cqpi-logistique/B09]", want: []string{
			"content/cqp/soudeur.md:23:19: error: le CQP « cqpi-logistique » n'a pas de bloc « B09 » : codes possibles : B01",
		}},
		{name: "self-common-with", path: soudeur, old: "common_with: [cqpi-logistique/B01]", new: "common_with: [soudeur/RNCP37890BC02]", want: []string{
			"content/cqp/soudeur.md:23:19: error: « common_with » désigne un bloc du même CQP (« soudeur/RNCP37890BC02 ») : une passerelle relie deux CQP différents",
		}},
		{name: "bad-common-with", path: soudeur, old: "common_with: [cqpi-logistique/B01]", new: "common_with: [B01]", want: []string{
			"content/cqp/soudeur.md:23:19: error: valeur « B01 » refusée pour « common_with » : il faut <identifiant du CQP>/<code du bloc>, par exemple cqpi-operateur-qualite/B01",
		}},
		{name: "duplicate-number", path: oper, old: "register: none", new: "register: rs\n  number: RS5678", want: []string{
			"content/cqp/cqpi-logistique.md:6:11: error: le numéro « RS5678 » est aussi celui de content/cqp/operateur.md : deux CQP ne peuvent pas avoir le même enregistrement",
			"content/cqp/operateur.md:6:11: error: le numéro « RS5678 » est aussi celui de content/cqp/cqpi-logistique.md : deux CQP ne peuvent pas avoir le même enregistrement",
		}},
		{name: "broken-link-cqp", path: soudeur, old: "(branche:metallurgie)", new: "(cqp:soudeuse)", want: []string{
			"content/cqp/soudeur.md:28:51: error: lien « cqp:soudeuse » cassé : vouliez-vous dire « soudeur » ?",
		}},
		{name: "broken-link-branch", path: home, old: "(cqp:cqpi-logistique)", new: "(branche:chimi)", want: []string{
			"content/_index.md:10:44: error: lien « branche:chimi » cassé : vouliez-vous dire « chimie » ?",
		}},
		{name: "broken-link-page", path: home, old: "(page:vae)", new: "(page:validation)", want: []string{
			"content/_index.md:10:77: error: lien « page:validation » cassé : identifiants possibles : vae",
		}},
		{name: "duplicate-key", path: soudeur, old: "summary: Souder", new: "title: Soudeur\nsummary: Souder", want: []string{
			"content/cqp/soudeur.md:10:1: error: clé « title » en double (déjà écrite ligne 2) : n'en garder qu'une",
		}},
		{name: "yaml-syntax", path: soudeur, old: "summary: Souder des pièces", new: "summary: Souder: des pièces", want: []string{
			"content/cqp/soudeur.md:10:10: error: YAML invalide : deux-points mal placé : une valeur qui contient « : » doit être entre guillemets",
		}},
		{name: "yaml-unclosed-quote", path: soudeur, old: "title: Soudeur industriel", new: "title: \"Soudeur industriel", want: []string{
			"content/cqp/soudeur.md:2:8: error: YAML invalide : guillemet double non fermé : fermer la valeur avec \"",
		}},
		{name: "yaml-alias", path: soudeur, old: "publics: [jeunes, salaries]", new: "publics: &p [jeunes, salaries]", want: []string{
			"content/cqp/soudeur.md:11:10: error: les ancres, alias et fusions YAML (&nom, *nom, <<) ne sont pas acceptés : recopier la valeur",
		}},
		{name: "no-front-matter", path: vae, old: "---\ntitle: La VAE\nmenu: 2\n---\n", new: "# La VAE\n", want: []string{
			"content/pages/vae.md:1:1: error: en-tête YAML absent : le fichier doit commencer par une ligne ---, les clés, puis une autre ligne ---",
		}},
		{name: "unclosed-front-matter", path: vae, old: "menu: 2\n---\n", new: "menu: 2\n", want: []string{
			"content/pages/vae.md:1:1: error: en-tête YAML non fermé : ajouter une ligne --- après la dernière clé",
		}},
		{name: "expired-warning", path: soudeur, old: "until: 2028-06-01", new: "until: 2026-01-31", want: []string{
			"content/cqp/soudeur.md:9:10: warning: l'enregistrement a pris fin le 2026-01-31 : mettre à jour « until » si la fiche a été renouvelée, ou passer le CQP en « status: archived »",
		}},
		{name: "no-summary-warning", path: oper, old: "summary: Conduire une machine de production.\n", new: "", want: []string{
			"content/cqp/operateur.md:1:1: warning: CQP sans résumé : ajouter « summary », une phrase reprise dans les listes et les résultats de recherche",
		}},
		{name: "no-blocks-warning", path: oper, old: "blocks:\n  - code: B01\n    title: Conduire\n", new: "", want: []string{
			"content/cqp/operateur.md:1:1: warning: CQP sans blocs de compétences : ajouter « blocks » pour que les visiteurs sachent ce qu'il certifie",
		}},
		{name: "partner-no-link-warning", path: chimie, old: "catalogue_url: https://cqp-chimie.example.org/\n", new: "", want: []string{
			"content/branches/chimie.md:1:1: warning: la branche « chimie » porte le CQPI « cqpi-logistique » mais n'a ni « website » ni « catalogue_url » : en ajouter un pour que les visiteurs trouvent son catalogue",
		}},
		{name: "root-not-map", path: vae, old: "title: La VAE\nmenu: 2", new: "- La VAE", want: []string{
			"content/pages/vae.md:2:1: error: l'en-tête doit être une suite de lignes « clé: valeur », pas une liste",
		}},
		{name: "tab-indent", path: soudeur, old: "  level: 3", new: "\tlevel: 3", want: []string{
			"content/cqp/soudeur.md:7:1: error: YAML invalide : caractère inattendu (une tabulation ?) : indenter avec des espaces",
		}},
	})
}
