# The two commands a fresh machine needs (see README.md):
#   make demo   runs the main demo on its embedded defaults, then serves it
#               until Ctrl-C (flags through ARGS: make demo ARGS=-tour-only)
#   make test   installs what the tests need, then runs every test
.PHONY: test demo tools bench fuzz

test:
	bash scripts/test.sh

demo:
	bash scripts/demo.sh $(ARGS)

tools:
	bash scripts/tools.sh

# Benchmarks are for people, not CI. This one runs fnshield against its peers
# (the separate bench/ module) and writes bench/RESULTS.md and bench/ratios.svg,
# in under 15 minutes on 2 cores. A package's own benchmarks run with
# go test -bench, e.g. go test -bench . -benchmem -count 6 ./redact, and are
# compared with benchstat.
bench:
	cd bench && go run ./cmd/report
