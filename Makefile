# The two commands a fresh machine needs (see README.md):
#   make demo   runs the main demo on its embedded defaults
#   make test   installs what the tests need, then runs every test
.PHONY: test demo tools bench fuzz

test:
	bash scripts/test.sh

demo:
	bash scripts/demo.sh

tools:
	bash scripts/tools.sh

# Benchmarks are for people, not CI: compare runs with benchstat.
bench:
	go test -run '^$$' -bench . -benchmem -count 6 ./...
