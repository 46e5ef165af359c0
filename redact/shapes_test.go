package redact

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// redactCase is one input and the exact output the default Redactor (or
// the one named by opts) must give.
type redactCase struct {
	name, in, want string
}

func runCases(t *testing.T, r *Redactor, tests []redactCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.String(tt.in); got != tt.want {
				t.Errorf("String(%q)\n got: %q\nwant: %q", tt.in, got, tt.want)
			}
			if got := string(r.Bytes([]byte(tt.in))); got != tt.want {
				t.Errorf("Bytes(%q)\n got: %q\nwant: %q", tt.in, got, tt.want)
			}
			checkWindowedScan(t, r, tt.in)
		})
	}
}

// Issue 11, item 1: any run of spaces or tabs between a key and '=' or ':'.
func TestKeyGapBeforeSeparator(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"four spaces before =", "password    = hunter2hunter2", "password    = [REDACTED:password]"},
		{"tab before =", "password\t= hunter2hunter2", "password\t= [REDACTED:password]"},
		{"tabs around =", "db_password\t\t=\tS3cr3t!x", "db_password\t\t=\t[REDACTED:password]"},
		{"json space before colon", `{"password" : "hunter2hunter2"}`, `{"password" : "[REDACTED:password]"}`},
		{"json tab before colon", "{\"api_key\"\t:\t\"k-1234567890\"}", "{\"api_key\"\t:\t\"[REDACTED:api_key]\"}"},
		{"pretty json", "{\n  \"client_secret\" : \"abc123xyz\",\n  \"n\" : 1\n}", "{\n  \"client_secret\" : \"[REDACTED:secret]\",\n  \"n\" : 1\n}"},
		{"bare key space colon", "token : abcd1234efgh5678", "token : [REDACTED:token]"},
		{"space colon mid-line", "request token : abcd1234efgh5678 sent", "request token : [REDACTED:token] sent"},
		{"tab colon mid-line", "cfg api_key\t: k-1234abcd", "cfg api_key\t: [REDACTED:api_key]"},
		{"aligned yaml", "  secret      : s3cr3tvalue", "  secret      : [REDACTED:secret]"},
		{"single quotes", "{'access_token' : 'abc.def.ghi'}", "{'access_token' : '[REDACTED:token]'}"},
		{"comparison kept", "if token == nil { return }", "if token == nil { return }"},
		{"non-sensitive key kept", "user    = bob", "user    = bob"},
		{"40 spaces before =", "password" + strings.Repeat(" ", 40) + "= hunter2hunter2", "password" + strings.Repeat(" ", 40) + "= [REDACTED:password]"},
		{"40 spaces before json colon", `{"password"` + strings.Repeat(" ", 40) + `: "hunter2hunter2"}`, `{"password"` + strings.Repeat(" ", 40) + `: "[REDACTED:password]"}`},
		{"mixed run before colon", "token" + strings.Repeat(" \t", 100) + ": abcd1234efgh5678", "token" + strings.Repeat(" \t", 100) + ": [REDACTED:token]"},
		{"64 KiB run", "password" + strings.Repeat(" ", 64<<10) + "= hunter2hunter2", "password" + strings.Repeat(" ", 64<<10) + "= [REDACTED:password]"},
	})
}

// Issue 11, item 2: Go %+v struct dumps, every sensitive key.
func TestGoStructDump(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"token field", "{User:bob Token:abcd1234efgh5678}", "{User:bob Token:[REDACTED:token]}"},
		{"api key field", "{User:bob APIKey:k-123456789}", "{User:bob APIKey:[REDACTED:api_key]}"},
		{"password first", "{Password:hunter2 User:bob}", "{Password:[REDACTED:password] User:bob}"},
		{"nested", "&{Name:orders Auth:{ClientSecret:s3cr3t-value Scope:read}}", "&{Name:orders Auth:{ClientSecret:[REDACTED:secret] Scope:read}}"},
		{"session and cookie", "req={Path:/x SessionID:9f8e7d6c Cookie:a1b2c3}", "req={Path:/x SessionID:[REDACTED:session] Cookie:[REDACTED:cookie]}"},
		{"go map", "map[password:hunter2 user:bob]", "map[password:[REDACTED:password] user:bob]"},
		{"go map token", "map[refresh_token:r-abc123 user:bob]", "map[refresh_token:[REDACTED:token] user:bob]"},
		{"private key field", "{PrivateKey:MIIEvQIBADAN Kid:k1}", "{PrivateKey:[REDACTED:private_key] Kid:k1}"},
		{"prose kept", "verify token: signature invalid", "verify token: signature invalid"},
		{"scope kept", "granted scope token:read ok", "granted scope token:read ok"},
		{"colon name kept", "cache key session:12345:data ok", "cache key session:12345:data ok"},
		{"scope-like value in a dump still", "cfg={User:bob X-Api-Key:a:000000 Port:8080}", "cfg={User:bob X-Api-Key:[REDACTED:api_key] Port:8080}"},
		{"scope-like value in a map still", "map[user:bob token:read]", "map[user:bob token:[REDACTED:token]]"},
		{"scope after a closed dump kept", "{User:bob} scope token:read ok", "{User:bob} scope token:read ok"},
		{"dump closed on an earlier line", "{User:bob\nscope token:read ok", "{User:bob\nscope token:read ok"},
		{"list inside a dump", "{Tags:[a b] Token:read}", "{Tags:[a b] Token:[REDACTED:token]}"},
		{"list closed before a scope", "tags [a b] scope token:read ok", "tags [a b] scope token:read ok"},
		{"number alone still", "{User:bob Token:12345678}", "{User:bob Token:[REDACTED:token]}"},
		{"mixed value still", "{User:bob Token:ab12cd34:ef}", "{User:bob Token:[REDACTED:token]}"},
		{"java source position kept", "INFO c.e.TokenService:42 - started", "INFO c.e.TokenService:42 - started"},
		{"iam action kept", "not authorized to perform: secretsmanager:GetSecretValue on resource", "not authorized to perform: secretsmanager:GetSecretValue on resource"},
		{"arn kept", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"},
	})
}

// Stack frames and logger positions: a sensitive word in a class or file
// name before ":number" is not a key, after '(' and '[' too.
func TestSourcePositions(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"zookeeper frame", "\tat org.apache.zookeeper.server.SessionTrackerImpl.run(SessionTrackerImpl.java:146)", "\tat org.apache.zookeeper.server.SessionTrackerImpl.run(SessionTrackerImpl.java:146)"},
		{"token service frame", "at x.TokenService.get(TokenService.java:42)", "at x.TokenService.get(TokenService.java:42)"},
		{"secret manager frame", "at o.a.h.AbstractDelegationTokenSecretManager.retrievePassword(AbstractDelegationTokenSecretManager.java:385)", "at o.a.h.AbstractDelegationTokenSecretManager.retrievePassword(AbstractDelegationTokenSecretManager.java:385)"},
		{"password encoder frame", "at x.PasswordEncoder.encode(PasswordEncoder.java:12)", "at x.PasswordEncoder.encode(PasswordEncoder.java:12)"},
		{"kotlin frame", "at a.b.CookieParser.parse(CookieParser.kt:33)", "at a.b.CookieParser.parse(CookieParser.kt:33)"},
		{"scala frame", "at org.apache.spark.SecurityManager.getSecretKey(SecurityManager.scala:527)", "at org.apache.spark.SecurityManager.getSecretKey(SecurityManager.scala:527)"},
		{"frame without extension", "at x.y(SessionManager:42)", "at x.y(SessionManager:42)"},
		{"bracketed frame", "at x.y[SessionManager:42]", "at x.y[SessionManager:42]"},
		{"position at line start", "TokenService.java:42 started", "TokenService.java:42 started"},
		{"logback packaging data", "\tat o.s.s.SessionRepositoryFilter.doFilter(SessionRepositoryFilter.java:142) ~[spring-session-core-2.7.0.jar:2.7.0]", "\tat o.s.s.SessionRepositoryFilter.doFilter(SessionRepositoryFilter.java:142) ~[spring-session-core-2.7.0.jar:2.7.0]"},
		{"logback unknown version", "\tat c.x.PasswordUtil.hash(PasswordUtil.java:12) [password4j-1.6.jar:?] ~[token-provider-1.0.jar:na]", "\tat c.x.PasswordUtil.hash(PasswordUtil.java:12) [password4j-1.6.jar:?] ~[token-provider-1.0.jar:na]"},
		{"spring boot logger", "2024-01-01 12:00:00.123 INFO 1 --- [main] c.e.TokenService : Started in 3.2 seconds", "2024-01-01 12:00:00.123 INFO 1 --- [main] c.e.TokenService : Started in 3.2 seconds"},
		{"full logger name", "o.a.zookeeper.server.SessionTrackerImpl: expiring", "o.a.zookeeper.server.SessionTrackerImpl: expiring"},
		{"logger with versioned package", "o.a.h.mapreduce.v2_app.TokenCache: loaded", "o.a.h.mapreduce.v2_app.TokenCache: loaded"},
		{"capitalised dotted key still", "App.Config.Token: abc123def", "App.Config.Token: [REDACTED:token]"},
		{"dotted yaml key still", "spring.datasource.password: hunter2hunter2", "spring.datasource.password: [REDACTED:password]"},
		{"session id in parentheses still", "(SessionID:12345678)", "(SessionID:[REDACTED:session])"},
		{"dotted lower-case key still", "(db.password:12345678)", "(db.password:[REDACTED:password])"},
		{"struct password number still", "{User:bob Password:12345678}", "{User:bob Password:[REDACTED:password]}"},
		{"struct token number still", "map[token:12345678]", "map[token:[REDACTED:token]]"},
	})
}

// Arrays of scalars under a sensitive key: each element is replaced, the
// brackets and the rest of the line are kept.
func TestSensitiveArrays(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"json array", `{"password": ["hunter2hunter2"]}`, `{"password": ["[REDACTED:password]"]}`},
		{"json array of two", `{"api_keys": ["k-1234", "k-5678"], "n": 2}`, `{"api_keys": ["[REDACTED:api_key]", "[REDACTED:api_key]"], "n": 2}`},
		{"pretty json array", "{\n  \"token\": [\n    \"abc123\"\n  ],\n  \"n\": 1\n}", "{\n  \"token\": [\n    \"[REDACTED:token]\"\n  ],\n  \"n\": 1\n}"},
		{"url.Values", "map[password:[hunter2hunter2] user:[bob]]", "map[password:[[REDACTED:password]] user:[bob]]"},
		{"url.Values two values", "map[token:[abc def] user:[bob]]", "map[token:[[REDACTED:token] [REDACTED:token]] user:[bob]]"},
		{"http.Header api key", "map[X-Api-Key:[c4ed1234deadbeef]]", "map[X-Api-Key:[[REDACTED:api_key]]]"},
		{"struct dump", "{User:bob Token:[abcd1234efgh5678]}", "{User:bob Token:[[REDACTED:token]]}"},
		{"key=[...]", "secret=[s3cr3t] next=1", "secret=[[REDACTED:secret]] next=1"},
		{"literals kept", `{"password": [true, null, ""]}`, `{"password": [true, null, ""]}`},
		{"array of objects examined", `{"tokens": [{"id": 1, "token": "abc123"}]}`, `{"tokens": [{"id": 1, "token": "[REDACTED:token]"}]}`},
		{"object inside an element", "secret=[a{b:1}] token=[x1]", "secret=[a{b:1}] token=[[REDACTED:token]]"},
		{"array after an array of objects", `{"password": [{"a": 1}], "token": ["x1"]}`, `{"password": [{"a": 1}], "token": ["[REDACTED:token]"]}`},
		{"escaped quotes in a JSON string", `{"msg":"{\"token\":[\"x1\",\"y2\"]}"}`, `{"msg":"{\"token\":[\"[REDACTED:token]\",\"[REDACTED:token]\"]}"}`},
		{"already redacted element", `{"token": ["[REDACTED:token]", "x1"]}`, `{"token": ["[REDACTED:token]", "[REDACTED:token]"]}`},
		{"escaped quote in an element", `{"password": ["a\"b", "c"]}`, `{"password": ["[REDACTED:password]", "[REDACTED:password]"]}`},
		{"array of arrays examined", `{"password": [[1, 2]], "n": 1}`, `{"password": [[1, 2]], "n": 1}`},
		{"unclosed arrays left to the scan", "token=[x1 and token=[y2", "token=[x1 and token=[y2"},
		{"an array inside a failed read", `token=[x1, "a token=[y2`, `token=[x1, "a token=[y2`},
		{"unterminated string left to the scan", `token=["x1`, `token=["x1`},
		{"unterminated escaped string left to the scan", `token=[\"x1`, `token=[\"x1`},
		{"yaml flow sequence", "db:\n  passwords: [hunter2, s3cr3t]\n  port: 5432", "db:\n  passwords: [[REDACTED:password], [REDACTED:password]]\n  port: 5432"},
		{"yaml plural quoted", "secrets: \"abc123\"", "secrets: \"[REDACTED:secret]\""},
		{"plural prose kept", `secrets: get "db": not found`, `secrets: get "db": not found`},
		{"kafka placeholder kept", "ssl.key.password = [hidden] ssl.keystore.password = null", "ssl.key.password = [hidden] ssl.keystore.password = null"},
		{"asterisks kept", `{"password": ["****"], "token": "***"}`, `{"password": ["****"], "token": "***"}`},
		{"small flag kept", "handleTimeUpdate token=1 session=0", "handleTimeUpdate token=1 session=0"},
		{"short password still", "password=12 cvv=123 pin_token=123", "password=[REDACTED:password] cvv=[REDACTED:cvv] pin_token=[REDACTED:token]"},
		{"non-sensitive array kept", `{"roles": ["admin", "dev"]}`, `{"roles": ["admin", "dev"]}`},
	})
}

// Issue 11, item 3: header lines quoted or inside a line, any scheme.
func TestHeaderInsideLine(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"curl double quotes", `curl -H "Authorization: Token 22cbd1f0e9a8" https://api.example.com`, `curl -H "Authorization: [REDACTED:authorization]" https://api.example.com`},
		{"curl single quotes api key", `curl -H 'X-Api-Key: c4ed8f0b1a2d' https://api.example.com`, `curl -H 'X-Api-Key: [REDACTED:api_key]' https://api.example.com`},
		{"lower-case header in quotes", `curl -H "x-api-key: c4ed8f0b1a2d" -d @x`, `curl -H "x-api-key: [REDACTED:api_key]" -d @x`},
		{"supabase apikey in quotes", `curl -H "apikey: eyJhbGciOi0" url`, `curl -H "apikey: [REDACTED:api_key]" url`},
		{"quoted lower-case authorization credential", `-H "authorization: Token abc123"`, `-H "authorization: [REDACTED:authorization]"`},
		{"digest in quotes", `-H "Authorization: Digest username=\"a\", response=\"6629fae4\"" next`, `-H "Authorization: [REDACTED:authorization]" next`},
		{"mid-line token scheme", "upstream: Authorization: Token abcdef123456 rejected", "upstream: Authorization: [REDACTED:authorization] rejected"},
		{"mid-line custom scheme", "proxy sent Authorization: SharedKey acct:Zm9vYmFy in request", "proxy sent Authorization: [REDACTED:authorization] in request"},
		{"mid-line auth token header", "got X-Auth-Token: 5f4dcc3b5aa7 from client", "got X-Auth-Token: [REDACTED:token] from client"},
		{"set-cookie mid-line", "resp Set-Cookie: sid=abc123 ok", "resp Set-Cookie: [REDACTED:cookie] ok"},
		{"cookie pairs mid-line", "sent Cookie: sid=abc123; csrf=x9y8z7; theme=dark to upstream", "sent Cookie: [REDACTED:cookie] to upstream"},
		{"go map cookie", "map[Cookie:[sid=abc; csrf=x9] Accept:[*/*]]", "map[Cookie:[[REDACTED:cookie]] Accept:[*/*]]"},
		{"gitlab header", "sent PRIVATE-TOKEN: abc123def456 to api", "sent PRIVATE-TOKEN: [REDACTED:token] to api"},
		{"http2 lower-case dashed", "headers x-api-key: c4ed8f0b1a2d user-agent: curl/8", "headers x-api-key: [REDACTED:api_key] user-agent: curl/8"},
		{"http2 lower-case authorization", "hdr authorization: Token abc123def rejected", "hdr authorization: [REDACTED:authorization] rejected"},
		{"http2 lower-case cookie", "hdr cookie: sid=abc123 ok", "hdr cookie: [REDACTED:cookie] ok"},
		{"authorization prose kept", "request denied by authorization: missing scope", "request denied by authorization: missing scope"},
		{"go http.Header", "map[Authorization:[Token abc123] Content-Type:[application/json]]", "map[Authorization:[[REDACTED:authorization]] Content-Type:[application/json]]"},
		{"header line still whole", "Authorization: Digest username=\"a\", response=\"b\"\nnext", "Authorization: [REDACTED:authorization]\nnext"},
		{"cbs session kept", "2016-09-28 04:30:31, Info CBS Session: 30546173_4261722401 initialized by client WindowsUpdateAgent.", "2016-09-28 04:30:31, Info CBS Session: 30546173_4261722401 initialized by client WindowsUpdateAgent."},
		{"curl lower-case token after -H", `curl -H "token: abc123def456" x`, `curl -H "token: [REDACTED:token]" x`},
		{"curl --header session", `curl --header 'session: abc123def456' x`, `curl --header 'session: [REDACTED:session]' x`},
		{"quoted prose kept", `log "token: expired" x`, `log "token: expired" x`},
	})
}

// Issue 11, item 4: command-line secrets.
func TestCommandLineSecrets(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"curl -u", "curl -u admin:S3cretPassw0rd https://x", "curl -u admin:[REDACTED:password] https://x"},
		{"curl --user", "curl --user deploy:pa55word -X POST", "curl --user deploy:[REDACTED:password] -X POST"},
		{"curl --user=", "curl --user=deploy:pa55word -X POST", "curl --user=deploy:[REDACTED:password] -X POST"},
		{"curl -u quoted", `curl -u "ci@example:Tr0ub4dor" url`, `curl -u "ci@example:[REDACTED:password]" url`},
		{"--password value", "run --password hunter2 now", "run --password [REDACTED:password] now"},
		{"--token value", "gh auth --with-token --token ghx-abc123 now", "gh auth --with-token --token [REDACTED:token] now"},
		{"--token=", "run --token=abcdef123456 now", "run --token=[REDACTED:token] now"},
		{"--client-secret quoted", `az login --client-secret "a b c" -t x`, `az login --client-secret "[REDACTED:secret]" -t x`},
		{"--api-key", "cli --api-key k_live_1234 --verbose", "cli --api-key [REDACTED:api_key] --verbose"},
		{"--password-stdin kept", "docker login --password-stdin -u bob", "docker login --password-stdin -u bob"},
		{"--token-file kept", "kubectl --token-file /var/run/token get pods", "kubectl --token-file /var/run/token get pods"},
		{"flag then flag", "cmd --password --verbose", "cmd --password --verbose"},
		{"-p left alone", "mysql -psecretpw -h db", "mysql -psecretpw -h db"},
		{"docker uid:gid kept", "docker run -u 1000:1000 img", "docker run -u 1000:1000 img"},
		{"docker user:group kept", "docker run --user www-data:www-data img", "docker run --user www-data:www-data img"},
		{"numeric user kept", "curl -u 0:A000 x", "curl -u 0:A000 x"},
		{"-u two spaces", "curl -u  admin:S3cretPassw0rd https://x", "curl -u  admin:[REDACTED:password] https://x"},
		{"-u tab", "curl -u\tadmin:S3cretPassw0rd https://x", "curl -u\tadmin:[REDACTED:password] https://x"},
		{"--user tab", "curl --user\tadmin:S3cretPassw0rd -X GET", "curl --user\tadmin:[REDACTED:password] -X GET"},
		{"--user spaces quoted", "curl --user  'johns:h0pk1ns~21s' url", "curl --user  'johns:[REDACTED:password]' url"},
		{"--password tab", "run --password\thunter2 now", "run --password\t[REDACTED:password] now"},
		{"--token spaces", "run --token   abcdef123456 now", "run --token   [REDACTED:token] now"},
		{"password quoted alone", "curl --user kevin:'pRf7x#2!a b' url", "curl --user kevin:'[REDACTED:password]' url"},
		{"empty user quoted", `curl -u ":d2LkV78zLx!t" url`, `curl -u ":[REDACTED:password]" url`},
		{"empty user after a header", `curl -H "Accept: a/b" -u ":d2LkV78zLx!t" url`, `curl -H "Accept: a/b" -u ":[REDACTED:password]" url`},
		{"-u glued", "curl -uadmin:pw url", "curl -uadmin:[REDACTED:password] url"},
		{"backtick before flag", "run `--password abc12345` now", "run `--password [REDACTED:password]` now"},
		{"backtick before -u", "run `curl -u admin:pw1` now", "run `curl -u admin:[REDACTED:password]` now"},
		{"shell variables kept", `curl -X POST -u "$USERNAME:$PASSWORD" url`, `curl -X POST -u "$USERNAME:$PASSWORD" url`},
		{"braced variable kept", `curl -u "ci:${CI_TOKEN}" url`, `curl -u "ci:${CI_TOKEN}" url`},
		{"command substitution kept", `curl -u "elastic:$(cat /run/secrets/es)" url`, `curl -u "elastic:$(cat /run/secrets/es)" url`},
		{"dollar password still", "curl -u admin:$ecret1 url", "curl -u admin:[REDACTED:password] url"},
		{"httpie --auth", "http --auth user:s3cretpass example.org", "http --auth user:[REDACTED:password] example.org"},
		{"-u spaces uid:gid kept", "docker run -u   1000:1000 img", "docker run -u   1000:1000 img"},
		{"-url kept", "tool -url:https://example.com/x", "tool -url:https://example.com/x"},
		{"--password then flag after tab kept", "cmd --password\t--verbose", "cmd --password\t--verbose"},
	})
}

// Issue 11, item 5: PGP private key blocks, in String, Writer and Handler.
func TestPGPPrivateKeyBlock(t *testing.T) {
	block := "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\nlQOYBF0AAAAB\n=Abcd\n-----END PGP PRIVATE KEY BLOCK-----"
	runCases(t, New(), []redactCase{
		{"block", "key " + block + " done", "key [REDACTED:private_key] done"},
		{"no end", "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF0", "[REDACTED:private_key]"},
		{"public block kept", "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQENBF0\n-----END PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQENBF0\n-----END PGP PUBLIC KEY BLOCK-----"},
	})
	t.Run("writer", func(t *testing.T) {
		var out strings.Builder
		w := NewWriter(&out)
		if _, err := w.Write([]byte("before\n" + block + "\nafter\n")); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out.String(), "lQOYBF0AAAAB") || !strings.Contains(out.String(), "before\n[REDACTED:private_key]\nafter\n") {
			t.Errorf("Writer output %q", out.String())
		}
	})
	t.Run("handler", func(t *testing.T) {
		out := handlerOutput(t, block)
		if strings.Contains(out, "lQOYBF0AAAAB") || !strings.Contains(out, "[REDACTED:private_key]") {
			t.Errorf("Handler output %q", out)
		}
	})
}

// Issue 11, item 6: URL-encoded email addresses.
func TestURLEncodedEmail(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"path", "GET /users/jane.doe%40example.com/profile", "GET /users/[REDACTED:email]/profile"},
		{"query", "/search?q=bob%2Bx%40mail.example.org&page=2", "/search?q=[REDACTED:email]&page=2"},
		{"upper-case hex kept shape", "to=ann%40EXAMPLE.COM", "to=[REDACTED:email]"},
		{"percent kept", "cpu 40% used, 90%40 ok", "cpu 40% used, 90%40 ok"},
		{"encoded twice", "next=%2Fu%2Fann%2540example.com%2F", "next=%2Fu%2F[REDACTED:email]%2F"},
	})
}

// Issue 11, item 7: UnionPay's 81 range.
func TestUnionPay81(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"8171 16 digits", "card 8171999927660000 ok", "card [REDACTED:card] ok"},
		{"8100 grouped", "card 8100 1234 5678 9017 ok", "card [REDACTED:card] ok"},
		{"8171 19 digits", "pan=8171999900000000021", "pan=[REDACTED:card]"},
		{"8199 16 digits", "card 8199000000000004 ok", "card [REDACTED:card] ok"},
		{"82 not unionpay", "id 8200000000000001 ok", "id 8200000000000001 ok"},
		{"81 failing luhn", "id 8171999927660001 ok", "id 8171999927660001 ok"},
	})
}

// Issue 11, item 9: Ruby hashes and XML elements.
func TestRubyAndXML(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"ruby string key", `{"password"=>"hunter2hunter2"}`, `{"password"=>"[REDACTED:password]"}`},
		{"ruby spaced", `{"api_key" => "k-123456", "n" => 1}`, `{"api_key" => "[REDACTED:api_key]", "n" => 1}`},
		{"ruby symbol", `{:secret => "s3cr3t!", :user => "bob"}`, `{:secret => "[REDACTED:secret]", :user => "bob"}`},
		{"xml", "<password>hunter2hunter2</password>", "<password>[REDACTED:password]</password>"},
		{"xml attributes", `<ApiKey type="live">k-123456</ApiKey>`, `<ApiKey type="live">[REDACTED:api_key]</ApiKey>`},
		{"xml namespace", "<ns:ClientSecret>s3cr3t</ns:ClientSecret>", "<ns:ClientSecret>[REDACTED:secret]</ns:ClientSecret>"},
		{"xml nested kept", "<credentials><user>bob</user></credentials>", "<credentials><user>bob</user></credentials>"},
		{"xml other element kept", "<name>hunter2</name>", "<name>hunter2</name>"},
		{"xml empty kept", "<password></password>", "<password></password>"},
		{"xml name attribute", `<property name="hibernate.connection.password">hunter2</property>`, `<property name="hibernate.connection.password">[REDACTED:password]</property>`},
		{"html input", `<input type="password" name="password" value="hunter2">`, `<input type="password" name="password" value="[REDACTED:password]">`},
		{"xml key and value attributes", `<add key="ApiKey" value="k-123456"/>`, `<add key="ApiKey" value="[REDACTED:api_key]"/>`},
		{"xml other attributes kept", `<add key="Region" value="eu-west-1"/><entry name="user">bob</entry>`, `<add key="Region" value="eu-west-1"/><entry name="user">bob</entry>`},
		{"xml cdata", "<password><![CDATA[p<a>ss]]></password>", "<password><![CDATA[[REDACTED:password]]]></password>"},
		{"xml self-closing value", `<password value="hunter2"/>`, `<password value="[REDACTED:password]"/>`},
		{"xml self-closing without value", `<password/><user>bob</user>`, `<password/><user>bob</user>`},
	})
}

// Issue 11, items 10 and 11: digit runs that are not cards.
func TestNotCards(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"hdfs block", "Receiving block blk_5739119717322549945 src: /10.251.42.84:57069", "Receiving block blk_5739119717322549945 src: /10.251.42.84:57069"},
		{"hdfs negative block", "Deleting block blk_-4980916519894289629 file /mnt/hadoop/dfs/data", "Deleting block blk_-4980916519894289629 file /mnt/hadoop/dfs/data"},
		{"glued by dash", "job-4111111111111111 done", "job-4111111111111111 done"},
		{"counters", "REPORT : 7024 5015 150454 240", "REPORT : 7024 5015 150454 240"},
		{"counters dashed", "seq 1234-5015-150454-240", "seq 1234-5015-150454-240"},
		{"odd groups", "ids 4111 111 111 111 1111", "ids 4111 111 111 111 1111"},
		{"counters then one more group", "REPORT : 5180 2259 7164 9789 3421", "REPORT : 5180 2259 7164 9789 3421"},
		{"cpu counters", "cpu 5356 4315 3136 1869 240", "cpu 5356 4315 3136 1869 240"},
		{"counters then short group", "stat 5180 2259 7164 9789 34 0", "stat 5180 2259 7164 9789 34 0"},
		{"dashed counters then group", "seq 5180-2259-7164-9789-3421", "seq 5180-2259-7164-9789-3421"},
		{"counters then unit", "took 5356 4315 3136 1869 ms", "took 5356 4315 3136 1869 ms"},
		{"run then unit", "elapsed 5356431531361869 ns", "elapsed 5356431531361869 ns"},
		{"card then expiry year", "card 5356 4315 3136 1869 2027 ok", "card [REDACTED:card] 2027 ok"},
		{"counters then year-like group and more", "cpu 5356 4315 3136 1869 2027 11", "cpu 5356 4315 3136 1869 2027 11"},
		{"card then word", "card 5356 4315 3136 1869 charged", "card [REDACTED:card] charged"},
		{"card then punctuation", "pan: 5356 4315 3136 1869, ok", "pan: [REDACTED:card], ok"},
		{"card still after word", "card 4111 1111 1111 1111 ok", "card [REDACTED:card] ok"},
		{"amex still", "amex 3782 822463 10005", "amex [REDACTED:card]"},
		{"card after key", "pan=4111111111111111", "pan=[REDACTED:card]"},
	})
}

// Issue 11, item 12: a thread or logger name after '['.
func TestThreadTag(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"zookeeper", "2015-07-29 17:41:44,747 - INFO  [SessionTracker:ZooKeeperServer@325] - Expiring session 0x14ed93111f20005", "2015-07-29 17:41:44,747 - INFO  [SessionTracker:ZooKeeperServer@325] - Expiring session 0x14ed93111f20005"},
		{"token thread", "WARN [TokenRefresher-1:AuthManager@88] - retry", "WARN [TokenRefresher-1:AuthManager@88] - retry"},
		{"nested class", "[SecretRotation:Rotator$Worker@1204] done", "[SecretRotation:Rotator$Worker@1204] done"},
		{"thread and class", "INFO [Session-Cleaner:SessionManager] swept 3", "INFO [Session-Cleaner:SessionManager] swept 3"},
		{"go map still", "map[token:abc123]", "map[token:[REDACTED:token]]"},
		{"dashed thread and a word", "[Password-Checker:Main] started", "[Password-Checker:Main] started"},
		{"go map password word still", "map[password:Main]", "map[password:[REDACTED:password]]"},
		{"bracket password word still", "[password:Summer]", "[password:[REDACTED:password]]"},
	})
}

// Issue 11, item 13: object dumps under token-named keys.
func TestObjectDumpValues(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"android window token", "wtoken = AppWindowToken{9f4ef63 token=Token{a64f992 ActivityRecord{de9231d u0 com.x/.A t761}}}", "wtoken = AppWindowToken{9f4ef63 token=Token{a64f992 ActivityRecord{de9231d u0 com.x/.A t761}}}"},
		{"yarn container token", "Token: Token { kind: ContainerToken, service: 10.190.173.170:45454 }", "Token: Token { kind: ContainerToken, service: 10.190.173.170:45454 }"},
		{"object with keys", "session=Session{id=1, user=bob}", "session=Session{id=1, user=bob}"},
		{"empty object", "token=Token{}", "token=Token{}"},
		{"secret inside object", "creds=Creds{password=hunter2hunter2}", "creds=Creds{password=[REDACTED:password]}"},
		{"brace in a secret", "password=s3cr{t99", "password=[REDACTED:password]"},
		{"yarn token in parentheses", "token: Token(id=5, kind=YARN_AM_RM_TOKEN)", "token: Token(id=5, kind=YARN_AM_RM_TOKEN)"},
		{"kotlin data class", "session=Session(id=42, user=bob, expires=2026-01-01)", "session=Session(id=42, user=bob, expires=2026-01-01)"},
		{"empty parentheses", "token=Token() next", "token=Token() next"},
		{"brackets with fields", "credentials=Credentials[accessKeyId=ASIAY34FZKBOKMUTVV7A, expiration=2026-12-07T12:00:00Z]", "credentials=Credentials[accessKeyId=[REDACTED:access_key], expiration=2026-12-07T12:00:00Z]"},
		{"secret inside parentheses", "auth=Auth(user=bob, password=hunter2hunter2)", "auth=Auth(user=bob, password=[REDACTED:password])"},
		{"pydantic masked value", "password=SecretStr('**********') user=bob", "password=SecretStr('**********') user=bob"},
		{"parenthesis in a secret", "password=Ab(cd99", "password=[REDACTED:password]"},
		{"java reference", "token=Token@5f3a2b1 session=org.hibernate.impl.SessionImpl@1a2b3c4d", "token=Token@5f3a2b1 session=org.hibernate.impl.SessionImpl@1a2b3c4d"},
		{"at-sign password", "token=Admin@2024 secret=Corp@5f3a2b", "token=[REDACTED:token] secret=[REDACTED:secret]"},
	})
}

// Issue 11, item 14: the closing delimiter is kept.
func TestClosingDelimiterKept(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"backticks", "run `password=abc12345` now", "run `password=[REDACTED:password]` now"},
		{"double quotes", `msg "token=abc12345" sent`, `msg "token=[REDACTED:token]" sent`},
		{"single quotes", "cmd 'secret=abc12345' ok", "cmd 'secret=[REDACTED:secret]' ok"},
		{"parentheses", "(api_key=abc12345)", "(api_key=[REDACTED:api_key])"},
		{"brackets", "[password=abc12345]", "[password=[REDACTED:password]]"},
		{"braces", "{pwd=abc12345}", "{pwd=[REDACTED:password]}"},
		{"angle", "<token=abc12345>", "<token=[REDACTED:token]>"},
		{"backtick header", "use `Authorization: Bearer abcdefghij123456` here", "use `Authorization: [REDACTED:authorization]` here"},
	})
}

// Issue 11, item 15: opt-in detectors.
func TestVersionsAndPhones(t *testing.T) {
	runCases(t, New(WithDetectors(Phone, IP)), []redactCase{
		{"wcp version", "Info CSI 00000001 WcpInitialize (wcp.dll version 0.0.0.6) called", "Info CSI 00000001 WcpInitialize (wcp.dll version 0.0.0.6) called"},
		{"tilde version", "Microsoft-Windows-Foundation~31bf3856ad364e35~amd64~~6.1.1.0", "Microsoft-Windows-Foundation~31bf3856ad364e35~amd64~~6.1.1.0"},
		{"v prefix", "agent v2.10.4.1 started", "agent v2.10.4.1 started"},
		{"version=", "build=1.2.3.4 ok", "build=1.2.3.4 ok"},
		{"address kept found", "from 10.1.2.3 port 22", "from [REDACTED:ip] port 22"},
		{"any address", "bind 0.0.0.0:80", "bind [REDACTED:ip]:80"},
		{"paren no space", "call (415)555-0123 now", "call [REDACTED:phone] now"},
		{"paren space", "call (415) 555-0123 now", "call [REDACTED:phone] now"},
		{"extension x", "call 415-555-0123x204 now", "call [REDACTED:phone] now"},
		{"extension ext", "call 415-555-0123 ext. 204 now", "call [REDACTED:phone] now"},
		{"paren extension", "call (415)555-0123 x12", "call [REDACTED:phone]"},
		{"paren dots", "call (415) 555.0123 now", "call [REDACTED:phone] now"},
		{"dotted name", "libfoo.so.1.2.3.4 and 1.2.3.4.5", "libfoo.so.1.2.3.4 and 1.2.3.4.5"},
		{"versions in file names", "get foo-1.2.3.4.tar.gz and hadoop-common-2.6.0.1.jar", "get foo-1.2.3.4.tar.gz and hadoop-common-2.6.0.1.jar"},
		{"address ends a sentence", "from 10.1.2.3. Next", "from [REDACTED:ip]. Next"},
		{"country code", "call 1-415-555-0123 now", "call [REDACTED:phone] now"},
		{"country code dots", "call 1.415.555.0123 now", "call [REDACTED:phone] now"},
		{"country code space", "call 1 415-555-0123 now", "call [REDACTED:phone] now"},
		{"a longer number is no country code", "id 21-415-555-0123", "id 21-[REDACTED:phone]"},
	})
}

// Issue 11, "Also": the key heuristics do not fire on Go error chains.
func TestErrorChainsKept(t *testing.T) {
	runCases(t, New(), []redactCase{
		{"secrets get", `secrets: get "db": secrets: not found`, `secrets: get "db": secrets: not found`},
		{"quoted sensitive name", `secrets: get "prod/db-password": context deadline exceeded`, `secrets: get "prod/db-password": context deadline exceeded`},
		{"ssm name", `ssm: GetParameter "/prod/api/token": not found (ParameterNotFound)`, `ssm: GetParameter "/prod/api/token": not found (ParameterNotFound)`},
		{"yaml secret still", "secret: s3cr3tvalue", "secret: [REDACTED:secret]"},
		{"json secret still", `{"secrets": "abc"}`, `{"secrets": "[REDACTED:secret]"}`},
		{"json bare value still", `{"password": hunter2}`, `{"password": [REDACTED:password]}`},
	})
}

// handlerOutput logs msg through a Handler over a text handler and
// returns what was written.
func handlerOutput(t *testing.T, msg string) string {
	t.Helper()
	var buf bytes.Buffer
	h := NewHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: dropTime}))
	slog.New(h).Log(context.Background(), slog.LevelInfo, msg, "key", msg)
	return buf.String()
}

func dropTime(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}
