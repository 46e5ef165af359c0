package redact

// Detector identifies one value detector: a family of sensitive values that
// a Redactor recognises by their shape, wherever they appear in text.
// Detectors are enabled and disabled with WithDetectors and WithoutDetectors.
// The zero Detector is invalid and ignored by both options.
type Detector uint8

// The value detectors. All are on by default except Phone and IP.
const (
	_ Detector = iota
	// Email matches addresses such as user@example.com, also URL-encoded
	// (user%40example.com).
	Email
	// Card matches payment card numbers: 13 to 19 digits, optionally in
	// groups the way cards are printed separated by single spaces or
	// dashes, with a known issuer prefix and length, and a valid Luhn check
	// digit. Digits glued to an identifier (blk_5739119717322549945) and
	// groups continuing a row of numbers are not cards.
	Card
	// IBAN matches international bank account numbers with a known country
	// code, that country's length and a valid mod-97 checksum, written with
	// or without spaces.
	IBAN
	// SSN matches US social security numbers written ddd-dd-dddd in the valid
	// ranges. Nine unformatted digits are not matched: too many identifiers,
	// amounts and timestamps have that shape.
	SSN
	// AWSAccessKey matches AWS access key IDs (AKIA, ASIA, ...).
	AWSAccessKey
	// AWSSecretKey matches 40-character AWS secret access keys, but only
	// shortly after an access key ID or as the value of a key such as
	// aws_secret_access_key or SecretAccessKey.
	AWSSecretKey
	// JWT matches JSON Web Tokens (eyJ...​.eyJ...​.signature).
	JWT
	// Bearer matches the credential after "Bearer " in text.
	Bearer
	// Basic matches the credential after "Basic " when it decodes to
	// user:password.
	Basic
	// PrivateKey matches PEM private key blocks and PGP private key blocks,
	// BEGIN to END inclusive.
	PrivateKey
	// GitHubToken matches GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_,
	// github_pat_).
	GitHubToken
	// SlackToken matches Slack tokens (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-,
	// the rotating xoxe- and xoxe.xoxp- forms, app-level xapp-) and the
	// secret path of Slack webhook URLs (hooks.slack.com/services/,
	// /workflows/ and /triggers/).
	SlackToken
	// StripeKey matches Stripe secret and restricted keys (sk_live_,
	// rk_live_, sk_test_, rk_test_).
	StripeKey
	// GoogleAPIKey matches Google API keys (AIza followed by 35 characters).
	GoogleAPIKey
	// URLPassword matches the password in scheme://user:password@host; only
	// the password is replaced.
	URLPassword
	// Phone matches telephone numbers in international (+ followed by 8 to 15
	// digits) or North American ((ddd) ddd-dddd, (ddd)ddd-dddd,
	// ddd-ddd-dddd) form, with an extension (x204, ext. 204). Off by
	// default: numbers of that shape are common in identifiers, versions and
	// timestamps.
	Phone
	// IP matches IPv4 and IPv6 addresses, but not four-part versions marked
	// as such (v1.2.3.4, ~6.1.1.0, "version 1.2.3.4") or starting with 0
	// (0.0.0.6). Off by default: dotted version strings look like
	// addresses, and operators usually need client and peer addresses in
	// their logs.
	IP
	// OpenAIKey matches OpenAI API keys: sk-proj-, sk-svcacct-, sk-admin-
	// and sk-None- keys, and the older sk- keys of 48 letters and digits.
	OpenAIKey
	// GitLabToken matches GitLab tokens: personal, project and group access
	// tokens (glpat-, classic and routable), and the deploy, runner, CI job,
	// pipeline trigger, feed, OAuth application and agent tokens (gldt-,
	// glrt-, glcbt-, glptt-, glft-, gloas-, glagent-).
	GitLabToken
	// NPMToken matches npm access tokens: npm_ followed by 36 letters and
	// digits, random-looking or carrying a valid checksum.
	NPMToken

	numDetectors = iota
)

// kind names used in replacements and in the fnshield.redact.matches
// counter's kind attribute.
const (
	kindEmail        = "email"
	kindCard         = "card"
	kindIBAN         = "iban"
	kindSSN          = "ssn"
	kindAWSAccessKey = "aws_access_key"
	kindAWSSecretKey = "aws_secret_key"
	kindJWT          = "jwt"
	kindBearer       = "bearer"
	kindBasic        = "basic"
	kindPrivateKey   = "private_key"
	kindGitHub       = "github_token"
	kindSlack        = "slack_token"
	kindStripe       = "stripe_key"
	kindGoogle       = "google_api_key"
	kindURLPassword  = "url_password"
	kindPhone        = "phone"
	kindIP           = "ip"
	kindOpenAI       = "openai_key"
	kindGitLab       = "gitlab_token"
	kindNPM          = "npm_token"
	kindKey          = "key"
)

var detectorKinds = [numDetectors]string{
	Email:        kindEmail,
	Card:         kindCard,
	IBAN:         kindIBAN,
	SSN:          kindSSN,
	AWSAccessKey: kindAWSAccessKey,
	AWSSecretKey: kindAWSSecretKey,
	JWT:          kindJWT,
	Bearer:       kindBearer,
	Basic:        kindBasic,
	PrivateKey:   kindPrivateKey,
	GitHubToken:  kindGitHub,
	SlackToken:   kindSlack,
	StripeKey:    kindStripe,
	GoogleAPIKey: kindGoogle,
	URLPassword:  kindURLPassword,
	Phone:        kindPhone,
	IP:           kindIP,
	OpenAIKey:    kindOpenAI,
	GitLabToken:  kindGitLab,
	NPMToken:     kindNPM,
}

// String returns the detector's kind name, the one used in replacements
// ("email", "card", "aws_access_key", ...).
func (d Detector) String() string {
	if d == 0 || int(d) >= numDetectors {
		return "unknown"
	}
	return detectorKinds[d]
}

// detectorSet is a bit set of Detectors.
type detectorSet uint32

func (s detectorSet) has(d Detector) bool { return s&(1<<d) != 0 }

const defaultDetectors = detectorSet(1<<Email | 1<<Card | 1<<IBAN | 1<<SSN |
	1<<AWSAccessKey | 1<<AWSSecretKey | 1<<JWT | 1<<Bearer | 1<<Basic |
	1<<PrivateKey | 1<<GitHubToken | 1<<SlackToken | 1<<StripeKey |
	1<<GoogleAPIKey | 1<<URLPassword | 1<<OpenAIKey | 1<<GitLabToken | 1<<NPMToken)
