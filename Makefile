# The two commands a new user needs: `make run` (set up and start the cloud) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The libvirt bindings build only where libvirt's headers are (see .ci/libvirt-host).
comma := ,
EXTRAS := test$(shell pkg-config --exists libvirt 2>/dev/null && echo ,libvirt)
STAMP := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))

.PHONY: run test tempest lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[$(EXTRAS)]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/novalite serve

test: $(STAMP)
	$(BIN)/ruff check novalite tests benchmarks
	$(BIN)/pytest -q tests
	$(BIN)/python tests/tempest/run.py

# OpenStack's conformance suite against a throwaway `novalite serve` (see README, Tempest).
tempest: $(STAMP)
	$(BIN)/python tests/tempest/run.py

bench: $(STAMP)
	$(BIN)/python -m benchmarks.core
	$(BIN)/python -m benchmarks.identity
	$(BIN)/python -m benchmarks.images
	$(BIN)/python -m benchmarks.multishow
	$(BIN)/python -m benchmarks.predistribution
	$(BIN)/python -m benchmarks.ec2
	$(BIN)/python -m benchmarks.guests || echo "benchmarks.guests needs libvirt: see README"

clean:
	rm -rf $(VENV) .novalite .tempest
