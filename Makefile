# nqsb developer entry points (GNU make).  `make test` is what CI runs (.ci/run).

PYTHON ?= python3
VENV ?= .venv
FUZZ_ARGS ?=

VPY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp

# Inputs of the editable install: a change to any of them rebuilds the venv
# and the C extension.  The cffi-generated _nocrypto.c is an output, not an input.
NATIVE_INPUTS := $(filter-out nocrypto/_native/_nocrypto.c,$(wildcard nocrypto/_native/*.c)) \
                 $(wildcard nocrypto/_native/*.h) nocrypto/_native/build.py

# Only the directories that exist; mypy is given only those holding Python files
# (it refuses a directory with none).
LINT_DIRS := $(wildcard asn1 nocrypto x509 tls otr tests bench)
LINT_FILES := $(LINT_DIRS) setup.py
MYPY_DIRS = $(sort $(patsubst %/,%,$(dir $(wildcard $(addsuffix /*.py,$(LINT_DIRS))))))

.PHONY: venv lint test demo bench fuzz clean

venv: $(STAMP)

# The venv, with the project installed editable.  setuptools' editable install
# (PEP 660, setuptools>=64) builds the cffi extension in place, next to
# build.py; the last step checks that, from the repository root, so a build
# that lands elsewhere fails here rather than in the tests.  openssl is a test
# oracle (DESIGN.md, Testing).
$(STAMP): pyproject.toml setup.py $(NATIVE_INPUTS)
	@command -v openssl >/dev/null 2>&1 || { \
	  echo "openssl not found: installing it with apt-get"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y openssl; }
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --upgrade pip
	$(VPY) -m pip install -e '.[test]'
	$(VPY) -c 'import nocrypto._native._nocrypto as m; print("built", m.__file__)'
	touch $@

lint: $(STAMP)
	$(VENV)/bin/ruff check $(LINT_FILES)
	$(VENV)/bin/ruff format --check $(LINT_FILES)
	$(VENV)/bin/mypy --strict $(MYPY_DIRS) setup.py

test: $(STAMP)
	$(MAKE) --no-print-directory lint
	$(VPY) -m pytest
	NOCRYPTO_BACKEND=python $(VPY) -m pytest tests/nocrypto

demo: $(STAMP)
	$(VPY) -m asn1 dump vectors/x509/demo-cert.pem

bench: $(STAMP)
	$(VPY) bench/run.py

fuzz: $(STAMP)
	$(VPY) -m pip install -e '.[fuzz]'
	$(VPY) tests/fuzz/run_atheris.py $(FUZZ_ARGS)

clean:
	rm -rf build dist *.egg-info .eggs $(VENV)
	rm -f nocrypto/_native/*.so nocrypto/_native/*.o nocrypto/_native/_nocrypto.c
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf .mypy_cache .ruff_cache .hypothesis .pytest_cache
