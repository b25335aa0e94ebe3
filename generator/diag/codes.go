package diag

// The codes of every diagnostic cqp can print. Each names one rule; the
// editors' guide (docs/edition.md) explains each with how to fix it, and a
// test fails when a code here is missing from the guide.
const (
	// Files and front matter.
	Unreadable    = "unreadable"      // the file cannot be read, or is a folder
	InvalidUTF8   = "invalid-utf8"    // bytes that are not UTF-8
	NoFrontMatter = "no-front-matter" // no --- block at the top
	Unclosed      = "unclosed-front-matter"
	YAMLSyntax    = "yaml-syntax"       // the YAML does not parse
	YAMLAlias     = "yaml-alias"        // anchors, aliases, merge keys
	DuplicateKey  = "duplicate-key"     // the same key twice in a map
	BadName       = "bad-name"          // a file name that is not a valid id or slug
	MisplacedFile = "misplaced-file"    // a Markdown file outside the known folders
	IgnoredFile   = "ignored-file"      // (warning) a file cqp does not read
	MissingSite   = "missing-site-file" // no content/_index.md
	ReservedSlug  = "reserved-slug"     // a page named like a site section

	// Keys and values.
	UnknownKey    = "unknown-key"
	MissingKey    = "missing-key"
	WrongType     = "wrong-type"
	BadValue      = "bad-value" // outside its list, or not of the expected shape
	BadDate       = "bad-date"
	BadURL        = "bad-url"
	BadEmail      = "bad-email"
	OutOfRange    = "out-of-range"   // a number outside its bounds
	DuplicateItem = "duplicate-item" // the same value twice in a list

	// Rules within a CQP.
	DatesOrder           = "dates-order"      // until before since
	NumberPrefix         = "number-prefix"    // RNCP number on an RS registration, or the reverse
	NumberRequired       = "number-required"  // rncp or rs without number
	NumberForbidden      = "number-forbidden" // a number on register none
	LevelRequired        = "level-required"   // rncp without level
	LevelForbidden       = "level-forbidden"  // level on rs or none
	DuplicateBlock       = "duplicate-block"  // two blocks with the same code
	BlockCode            = "block-code"       // RNCP block code not <number>BCnn
	VAENeedsRNCP         = "vae-needs-rncp"
	CPFNeedsRegistration = "cpf-needs-registration"

	// Rules across files.
	UnknownBranch   = "unknown-branch"
	UnknownCommon   = "unknown-common-with" // common_with target that does not exist
	SelfCommon      = "self-common-with"    // common_with pointing at its own CQP
	DuplicateNumber = "duplicate-number"
	BrokenLink      = "broken-link" // cqp:, branche:, page: link to nothing

	// Warnings.
	Expired       = "expired"         // until is past
	NoBlocks      = "no-blocks"       // a CQP without blocks
	NoSummary     = "no-summary"      // a CQP without summary
	PartnerNoLink = "partner-no-link" // CQPI partner with neither website nor catalogue_url
)
