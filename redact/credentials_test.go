package redact

import (
	"hash/crc32"
	"strings"
	"testing"
)

// Issue 11, item 8: token formats users expect a secret redactor to know.
func TestVendorTokens(t *testing.T) {
	g := newGen()
	legacyOpenAI := "sk-" + g.str(20, alnum) + openAIMarker + g.str(20, alnum)
	projectOpenAI := "sk-proj-" + g.str(74, b64url) + openAIMarker + g.str(74, b64url)
	svcOpenAI := "sk-svcacct-" + g.str(58, b64url) + openAIMarker + g.str(58, b64url)
	unmarkedProject := "sk-proj-" + "Ab1" + g.str(61, b64url)
	glpat := "glpat-" + "x_Y-" + g.str(16, b64url)
	routable := "glpat-" + g.str(37, b64url) + ".01.0w1ohrd09"
	routable9 := "glpat-" + g.str(40, b64url) + ".01" + g.str(7, "0123456789abcdefghijklmnopqrstuvwxyz")
	glcbt := "glcbt-" + g.str(4, alnum) + "_" + g.str(20, b64url)
	glrt := "glrt-" + g.str(20, alnum)
	npm := "npm_" + g.str(36, alnum)
	xapp := "xapp-1-A0123ABCDEF-1234567890123-" + g.str(64, lowerHex)
	xoxe := "xoxe-1-" + g.str(140, alnum)
	xoxeXoxp := "xoxe.xoxp-1-" + g.str(140, alnum)
	workflows := "T0123ABCD/A0456EFGH/123456789012345678/" + g.str(20, alnum) + "+/" + g.str(4, alnum)
	triggers := "T0123ABCD/123456789012/" + g.str(32, lowerHex)
	runCases(t, New(), []redactCase{
		{"openai legacy", "OPENAI_API_KEY=" + legacyOpenAI, "OPENAI_API_KEY=[REDACTED:api_key]"},
		{"openai legacy in text", "using " + legacyOpenAI + " now", "using [REDACTED:openai_key] now"},
		{"openai project", "key " + projectOpenAI + ".", "key [REDACTED:openai_key]."},
		{"openai service account", `"k":"` + svcOpenAI + `"`, `"k":"[REDACTED:openai_key]"`},
		{"openai project unmarked", "key " + unmarkedProject, "key [REDACTED:openai_key]"},
		{"gitlab classic", "push with " + glpat + " ok", "push with [REDACTED:gitlab_token] ok"},
		{"gitlab routable", "push with " + routable + " ok", "push with [REDACTED:gitlab_token] ok"},
		{"gitlab runner", "runner " + glrt, "runner [REDACTED:gitlab_token]"},
		{"gitlab routable compact", "push with " + routable9 + ".", "push with [REDACTED:gitlab_token]."},
		{"gitlab ci job", "job " + glcbt, "job [REDACTED:gitlab_token]"},
		{"npm", "//registry.npmjs.org/:_authToken=" + npm, "//registry.npmjs.org/:_authToken=[REDACTED:token]"},
		{"npm in text", "publish " + npm + " done", "publish [REDACTED:npm_token] done"},
		{"slack xapp", "app token " + xapp, "app token [REDACTED:slack_token]"},
		{"slack xoxe", "refresh " + xoxe, "refresh [REDACTED:slack_token]"},
		{"slack xoxe.xoxp", "refresh " + xoxeXoxp, "refresh [REDACTED:slack_token]"},
		{"slack workflows", "POST https://hooks.slack.com/workflows/" + workflows + " 200", "POST https://hooks.slack.com/workflows/[REDACTED:slack_token] 200"},
		{"slack triggers", "POST https://hooks.slack.com/triggers/" + triggers + " 200", "POST https://hooks.slack.com/triggers/[REDACTED:slack_token] 200"},

		{"sk-learn kept", "pip install sk-learn scikit-learn", "pip install sk-learn scikit-learn"},
		{"sk- words kept", "sk-proj-dashboard-settings-page-for-the-main-organisation-admin", "sk-proj-dashboard-settings-page-for-the-main-organisation-admin"},
		{"sk- lower-case run kept", "sk-" + strings.Repeat("abcdefgh", 6), "sk-" + strings.Repeat("abcdefgh", 6)},
		{"gitlab short kept", "glpat-short", "glpat-short"},
		{"glance kept", "glance-api-registry started", "glance-api-registry started"},
		{"npm config kept", "npm_config_cache=/tmp/npm npm_lifecycle_event=build", "npm_config_cache=/tmp/npm npm_lifecycle_event=build"},
		{"npm scanner-style lower-case", "publish npm_" + g.str(36, "abcdefghijklmnopqrstuvwxyz0123456789") + " done", "publish [REDACTED:npm_token] done"},
		{"npm letters only with checksum", "publish " + npmWithChecksum(strings.Repeat("abcdefghij", 3)) + " done", "publish [REDACTED:npm_token] done"},
		{"npm letters only without checksum kept", "npm_" + strings.Repeat("abcdefghij", 3) + "abcdef", "npm_" + strings.Repeat("abcdefghij", 3) + "abcdef"},
		{"npm 35 kept", "npm_" + strings.Repeat("a1", 17) + "b", "npm_" + strings.Repeat("a1", 17) + "b"},
		{"xapp config kept", "xapp-config loaded", "xapp-config loaded"},
		{"slack docs kept", "see https://hooks.slack.com/workflows/", "see https://hooks.slack.com/workflows/"},
	})
}

func TestVendorTokensCanBeTurnedOff(t *testing.T) {
	g := newGen()
	npm := "npm_" + g.str(36, alnum)
	r := New(WithoutDetectors(NPMToken, OpenAIKey, GitLabToken))
	for _, in := range []string{npm, "sk-" + g.str(20, alnum) + openAIMarker + g.str(20, alnum), "glpat-" + g.str(20, alnum)} {
		if got := r.String("x " + in); got != "x "+in {
			t.Errorf("String(%q) = %q with the detector off", in, got)
		}
	}
}

// npmWithChecksum returns an npm token with body (30 characters) and its
// checksum: the CRC-32 of body in 6 base-62 digits, most significant
// first.
func npmWithChecksum(body string) string {
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	v := crc32.ChecksumIEEE([]byte(body))
	var sum [6]byte
	for k := 5; k >= 0; k-- {
		sum[k] = digits[v%62]
		v /= 62
	}
	return "npm_" + body + string(sum[:])
}
