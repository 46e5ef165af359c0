// Package redact removes secrets and personal data from logs.
//
// A [Redactor] finds sensitive values by key (password, token,
// authorization, cookie, api key, ...) and by value anywhere in text
// (emails, payment cards, IBANs, cloud and API credentials, JWTs, private
// keys, passwords in URLs), and replaces them with a marker, a stable
// pseudonym or a custom mask. It plugs into log/slog as a Handler wrapper
// ([NewHandler]) or a ReplaceAttr function ([ReplaceAttr]), and into any
// other logger as a line-buffered io.Writer ([NewWriter]).
//
//	r := redact.New()
//	r.String("user=jane@example.com") // "user=[REDACTED:email]"
//
//	logger := slog.New(redact.NewHandler(slog.NewJSONHandler(os.Stdout, nil)))
//	log.SetOutput(redact.NewWriter(os.Stderr))
//
// A Redactor is immutable and safe for concurrent use. The package-level
// [String], [Bytes] and [ReplaceAttr] use one built by New() with no
// options, on first use.
//
// # Keys
//
// A value is redacted whole when its key is sensitive: a slog attribute
// key or group name, a map key, a struct field name (or its json name), a
// JSON key in text ("key": value), or the key of key=value and key: value
// text, with any spaces or tabs around the '=' or ':' ("password    =
// x", pretty-printed JSON's "key" : "value"). Text keys are also found in
// Ruby hashes ("key" => value, :key => value), XML elements
// (<password>x</password>, <password value="x"/>, attributes and
// namespace prefixes allowed, or an element named by its name or key
// attribute: <property name="db.password">x</property>, <add
// key="ApiKey" value="x"/>),
// command lines (--password x, --token=x, and the password of curl's
// -u, -U, --user and --proxy-user (and httpie's --auth) user:password,
// after any run of spaces or tabs, glued to -u as in -uadmin:x, with the
// user or the password quoted or the user empty as in -u ":x", but not a
// shell reference such as $PASSWORD, ${TOKEN} or $(cat file); a flag may
// follow a space, a quote or a backtick; -p is too ambiguous and is left alone, as are
// flags naming where a secret is, such as --password-file and
// --password-stdin) and Go's %v and %+v output ({User:bob Token:x},
// map[password:x]). Keys are normalised before matching: case, '-', '_', '.' and spaces
// are ignored, and a key matches when it contains a sensitive name, so
// db_password, accessToken and X-Api-Key all match. The built-in names are
// password, passwd, passphrase, pwd, secret, token (access, refresh and id
// tokens included), authorization, cookie (set-cookie), apikey, accesskey,
// privatekey, session, credential, signature, ssn, socialsecurity,
// cardnumber, creditcard, cardno, cvv, cvc and iban. WithKeys adds more.
//
// Containment is tempered where it would hurt precision:
//
//   - Short names (pwd, ssn, iban) must be whole words of the key ("userSSN"
//     matches, "classname" does not); cvv, cvc and signature must start a word.
//   - "token" followed by more letters in the same word is another word:
//     tokens_used, max_tokens and tokenizer_version do not match. Nor do
//     keys where the next word says the value is about tokens rather than a
//     token: token_count, token_type, token_usage, token_limit, token_url,
//     token_endpoint, token_ttl, token_expiry, token_len, token_name,
//     token_cache, token_timeout, token_lifetime, token_duration, token_size.
//   - "secretary" and "secretsmanager" are not secrets, nor are keys where
//     the next word names or describes a secret: secret_name,
//     secret_version, secret_arn, secret_ref, secret_path, secret_count,
//     secret_type.
//   - Nor is a key where the word after "session" says it describes the
//     session: session_ttl, session_timeout, session_count, session_type,
//     session_limit, session_expiry, session_length, session_duration,
//     session_status, session_cache, session_lifetime, session_size.
//   - Everything else, including session_id, sessionToken and
//     client_secret, matches. A "session" or "credentials" key or group
//     redacts everything below it.
//
// Booleans under sensitive keys are kept (password_set=true says nothing),
// as are empty strings and the JSON literals true, false and null. In
// text, so are placeholders a program wrote instead of a value (asterisks,
// hidden, redacted, masked, filtered, removed, omitted, sanitized: Kafka's
// "ssl.key.password = [hidden]"), and numbers of one or two digits under
// keys whose values are never that short (token=1, session=0; not under
// password, card, cvv or other keys).
//
// In free text, "key: value" with an unquoted key is taken as a pair only
// where a header, YAML or dump would put it, so that Go error chains such
// as "verify token: signature invalid" are left alone:
//
//   - at the start of a line or of a YAML list item ("- key: value"), or
//     after '{', ',', ';', '(', '[' or '|';
//   - anywhere when spaces or tabs stand between the key and the ':'
//     ("token : x"), which prose does not write;
//   - anywhere when the value follows the ':' directly, as in Go's %+v
//     ({User:bob Token:x}), unless the key is a dotted name and the value
//     a number (a source position such as pkg.TokenService:42), or, outside
//     a dump's '{' or map[, the value is a scope or the rest of a
//     colon-separated name, each part a short lower-case word or a number
//     (token:read, session:12345:data);
//   - anywhere when the key is a header name with '-', written as HTTP/1
//     or HTTP/2 does (X-Api-Key, Set-Cookie, PRIVATE-TOKEN, x-api-key), or
//     is Authorization or Cookie written as a header, or in lower case with
//     a value that reads as a credential (a scheme and a word, a cookie's
//     name=value): "upstream: Authorization: Token x rejected";
//   - at the start of a quoted string when the key is written as a header,
//     is one capitalised word, or is Authorization, Cookie or an API key in
//     any case (as browsers' "copy as cURL" writes them): curl -H "Token:
//     x", -H 'x-api-key: x', -H 'authorization: ...', -H "apikey: x"; and
//     any sensitive name in any case when the quote follows -H or
//     --header (curl -H "token: x"), the value then running to the
//     closing quote.
//
// Passwords are the exception: "login with password: x" is redacted
// anywhere. These are not pairs, whatever the key: a source position in a
// stack frame or log line, where the name before a number is a file with
// a source extension, a dotted name ending in a type name, or a class
// name inside a frame's parentheses or brackets
// (SessionTrackerImpl.java:146, CookieParser.kt:33, c.e.TokenService:42,
// x.y(SessionManager:42); never a name ending in Id or ID); a Java
// archive and its version as logback prints them after a frame
// (~[spring-session-core-2.7.0.jar:2.7.0]); a logger's class name with
// its lower-case package (c.e.TokenService : Started); a thread and
// source position or class name after a '[' that does not follow a word
// ([SessionTracker:ZooKeeperServer@325], [Session-Cleaner:SessionManager],
// and after a dashed thread name a capitalised word:
// [Password-Checker:Main]); the last part of a path
// ("open /run/secrets/db-password: permission denied"); a
// plural at the start of a line followed by a space ("secrets: get ...",
// the error of a package named secrets), and a quoted key that follows a
// word with an unquoted value after it (Go's %q in an error: get
// "db-password": not found). key=value and "key": value are recognised
// anywhere, except key == value (a comparison).
//
// An unquoted value ends at a space or one of , ; & " ' ` ) } ] < > \ |,
// so closing quotes, backticks and brackets are kept. An auth scheme word
// (Bearer, Basic, Digest, Token, Negotiate, AWS4-HMAC-SHA256, and under an
// Authorization key any capitalised word) takes the next word with it,
// unless that word is itself a key=value pair. Authorization and Cookie
// header lines run to the end of the line, or inside quotes to the closing
// quote; inside a line, a Cookie header takes all its "; name=value"
// pairs. An array of scalars under a sensitive key has each element
// replaced, its brackets and quotes kept ({"password": ["[REDACTED:password]"]},
// map[password:[[REDACTED:password]]] as Go prints url.Values and
// http.Header); true, false, null and empty elements are kept. Object
// values, and arrays holding objects or arrays, are not replaced whole;
// their own keys are examined. That includes a type name opening an
// object dump with '{', '(' or '[', such as AppWindowToken{9f4ef63 ...},
// Token { kind: ... }, Token(id=5, kind=...) or Credentials[accessKeyId=...,
// ...], or wrapping a placeholder, as Pydantic's SecretStr('**********');
// and a Java object
// reference such as Token@5f3a2b1 (a class name and a hash of 5 to 8 hex
// digits with a letter) is not taken for a value, except under password
// and secret keys. An XML element's text may be a CDATA section.
//
// # Values
//
// Value detectors look at text anywhere, including log messages. They are
// chosen for precision as much as recall: each candidate is validated by a
// checksum, a known prefix or a strict shape, and words are examined only at
// their boundaries, so UUIDs, Lambda request IDs, X-Ray trace IDs,
// timestamps (RFC 3339, epoch seconds and milliseconds), hex digests,
// version strings, ARNs and their 12-digit account IDs, and numbers that
// fail a checksum are left alone. The detectors, with the kind each one
// writes in its replacement:
//
//   - [Email] (email), also URL-encoded (jane.doe%40example.com, or
//     %2540 when encoded twice); an encoded separator such as %2F before
//     it ends the local part
//   - [Card] (card): 13 to 19 digits, a known issuer prefix and length
//     (Visa, Mastercard, American Express, Discover, JCB, Diners Club,
//     UnionPay 62 and 81, Mir, Maestro) and a valid Luhn digit;
//     written as one run, or in groups the way cards are printed (groups
//     of four with a last group of 3 to 6, or 4-6-5 and 4-6-4) separated by
//     single spaces or dashes. Never the fractional part of a decimal, digits
//     glued to an identifier by '_' or '-' (blk_5739119717322549945),
//     groups in a row of numbers, whether a number comes before them
//     ("7024 5015 150454 240") or another group after them ("5180 2259
//     7164 9789 3421"; a year such as 2027 may follow a card), or a number
//     followed by a unit of time, size or rate ("... 1869 ms")
//   - [IBAN] (iban): country code, that country's length, mod-97 checksum,
//     upper case, compact or in groups of four
//   - [SSN] (ssn): ddd-dd-dddd with area not 000, 666 or 900-999, group not
//     00 and serial not 0000; nine bare digits are never taken for an SSN
//   - [AWSAccessKey] (aws_access_key) and [AWSSecretKey] (aws_secret_key,
//     only within 100 bytes before or after an access key ID, or under a
//     key such as aws_secret_access_key or SecretAccessKey)
//   - [JWT] (jwt), [Bearer] (bearer), [Basic] (basic, only if it decodes to
//     user:password); for Bearer and Basic only the credential is replaced
//   - [PrivateKey] (private_key): a PEM private key block or a PGP private
//     key block (-----BEGIN PGP PRIVATE KEY BLOCK-----), BEGIN to END; a
//     block with no END is redacted to the end of the text
//   - [GitHubToken] (github_token), [SlackToken] (slack_token: xoxb-,
//     xoxp-, xoxa-, xoxr-, xoxs-, xoxe-, xoxe.xoxp- and xapp- tokens, and the
//     secret path of hooks.slack.com/services, /workflows and /triggers
//     URLs), [StripeKey] (stripe_key), [GoogleAPIKey] (google_api_key)
//   - [OpenAIKey] (openai_key): sk-proj-, sk-svcacct-, sk-admin- and
//     sk-None- followed by at least 40 characters with upper- and
//     lower-case letters and digits (or OpenAI's T3BlbkFJ marker), and the
//     older sk- followed by 48 such letters and digits
//   - [GitLabToken] (gitlab_token): glpat-, gldt-, glrt-, glcbt-, glptt-,
//     glft-, gloas- and glagent- followed by at least 20 characters of
//     [A-Za-z0-9_-], with a routable token's .<version>.<checksum> trailer
//   - [NPMToken] (npm_token): npm_ followed by exactly 36 letters and
//     digits, with both letters and digits among the first 30 or the
//     checksum npm's format puts in the last 6 (CRC-32 in base 62)
//   - [URLPassword] (url_password): only the password of
//     scheme://user:password@host
//   - [Phone] (phone) and [IP] (ip), off by default. Phone numbers are
//     +<8 to 15 digits> in groups, (ddd) ddd-dddd, (ddd)ddd-dddd,
//     ddd-ddd-dddd and the same with dots, with a leading 1- country code
//     and an extension (x204, ext. 204) taken along. An
//     IPv4 address is not taken when marked as a version (v1.2.3.4,
//     ~6.1.1.0, "version 1.2.3.4", build=1.2.3.4), when a '.' comes
//     before it or a '.' and a letter or digit after it (1.2.3.4.5,
//     libfoo.so.1.2.3.4, hadoop-common-2.6.0.1.jar) or when it starts
//     with 0 (0.0.0.6), other than 0.0.0.0
//
// Phone and IP are off by default because numbers shaped like telephone
// numbers are common in identifiers, amounts and timestamps, dotted version
// strings look like IPv4 addresses, and operators usually need client and
// peer addresses in their logs. Turn them on with WithDetectors(redact.Phone,
// redact.IP); turn any detector off with WithoutDetectors.
//
// Once a value of at least 8 bytes has been found, its other copies in the
// same text are replaced too (for the first 8 distinct values), so that a
// password after "password=" does not survive elsewhere in the line.
// Redaction is idempotent: String(String(s)) == String(s).
//
// # Replacements
//
// A finding becomes "[REDACTED:<kind>]". Key-based findings are labelled by
// the family of the key: password, secret, token, authorization, cookie,
// api_key, access_key, private_key, session, credential, signature, ssn,
// card, cvv, iban, aws_secret_key, and key for names added with WithKeys or
// struct fields tagged redact:"true". Values that cannot be examined (beyond
// the depth bound, cycles, panicking String methods) become
// "[REDACTED:truncated]". WithHMAC gives stable pseudonyms instead,
// "<kind>:<first 8 hex digits of HMAC-SHA256(key, value)>", so equal values
// can still be correlated; WithMask hands each finding to a function.
//
// # slog
//
// [NewHandler] wraps a slog.Handler. It redacts the message and every
// attribute at any depth: strings, groups, resolved LogValuers (resolved
// once), errors (their Error text, as a string attribute), fmt.Stringers,
// []byte, and maps, structs, slices and pointers walked by reflection up to
// WithMaxDepth levels (default 8) and 256 elements per container, safe
// against cycles. Struct fields may carry a redact tag: redact:"true"
// always redacts, redact:"-" never does (and is not examined), and any
// other word always redacts with that kind (redact:"email"). Attributes
// given to WithAttrs are redacted once, when added. A record with nothing
// to redact is passed on as is, so the output is byte-identical to the
// wrapped handler's; a changed map or struct is passed on as a
// map[string]any (struct fields under their json names, unexported fields
// left out), a changed slice as []any.
//
// [ReplaceAttr] and [Redactor.ReplaceAttr] do the same for one attribute,
// for slog.HandlerOptions; they run on every record.
//
// # Writer
//
// [Writer] redacts line by line for loggers that write text. See its
// documentation for how long lines and private key blocks spanning lines
// are handled.
//
// # Metrics
//
// Every replacement adds 1 to the OpenTelemetry counter
// fnshield.redact.matches with the attribute kind (never the value). The
// counter is created once per Redactor from the global meter provider or
// the one given with WithMeterProvider; without an SDK installed it costs
// nothing, and text with nothing to redact never reaches it.
//
// # Performance
//
// Detection is a single left-to-right pass of a few instructions per byte:
// a class table and a table indexed by the classes of the last four bytes
// say where a detector could start under the current configuration. Words
// are candidates at their first byte only, and only if their first two
// bytes (or first three digits) can begin a detector; punctuation anchors
// ('@', '%', ':', '=', '>', "--", '[') are candidates where they stand. A key is
// normalised only if it holds the first three characters of a sensitive
// name. Candidates are then validated in place. Text with nothing to
// redact is returned as is, without allocating.
//
// Each Redactor also remembers up to 512 short keys (15 bytes or fewer)
// that it found not sensitive, so that the keys a program logs on every
// JSON line or record ("time", "level", "msg", attribute keys) cost one
// lookup. A key is recognised by all of its bytes, never by a hash alone,
// so a sensitive key cannot pass for a remembered one; keys that meet in a
// slot only evict each other. At most one key is stored per text scanned
// and 4,096 over the Redactor's life, so that keys that never repeat (IDs
// used as keys) do not keep writing to memory that other cores read.
package redact
