package render

import "testing"

// Front-matter URLs are checked as absolute http(s) by the checker; the
// renderer still refuses anything else, so that a gap in the checker
// cannot become a script in a page.
func TestSafeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.org/", "https://example.org/"},
		{" http://example.org/a?b=1 ", "http://example.org/a?b=1"},
		{"HTTPS://EXAMPLE.ORG/", "HTTPS://EXAMPLE.ORG/"},
		{"javascript:alert(1)", ""},
		{"JaVaScRiPt:alert(1)", ""},
		{"java&#x73;cript:alert(1)", ""},
		{"data:text/html,<script>", ""},
		{"vbscript:x", ""},
		{"//evil.example/", ""},
		{"/relative", ""},
		{"mailto:a@example.org", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := safeURL(tt.in); got != tt.want {
			t.Errorf("safeURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTelURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"01 23 45 67 89", "tel:0123456789"},
		{"+33 (0)1 23.45-67-89", "tel:+330123456789"},
		{"3949", "tel:3949"},
		{"01 23 45 67 89 (standard)", ""},
		{"javascript:alert(1)", ""},
		{"12", ""},
	}
	for _, tt := range tests {
		if got := telURL(tt.in); got != tt.want {
			t.Errorf("telURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRegistrationURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"RNCP37890", "https://www.francecompetences.fr/recherche/rncp/37890/"},
		{"RS5678", "https://www.francecompetences.fr/recherche/rs/5678/"},
		{"RNCP", ""},
		{"RNCP12a", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := registrationURL(tt.in); got != tt.want {
			t.Errorf("registrationURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPagedPath(t *testing.T) {
	tests := []struct {
		first string
		n     int
		want  string
	}{
		{"niveaux/3/index.html", 1, "niveaux/3/index.html"},
		{"niveaux/3/index.html", 2, "niveaux/3/page/2/index.html"},
		{"cqpi/index.html", 12, "cqpi/page/12/index.html"},
	}
	for _, tt := range tests {
		if got := pagedPath(tt.first, tt.n); got != tt.want {
			t.Errorf("pagedPath(%q, %d) = %q, want %q", tt.first, tt.n, got, tt.want)
		}
	}
}
