# nqsb developer entry points (GNU make).  `make test` is what CI runs (.ci/run).

PYTHON ?= python3
VENV ?= .venv
FUZZ_ARGS ?=

VPY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp

# Inputs of the editable install: a change to any of them rebuilds the venv
# and the C extension.  The cffi-generated _nocrypto.c is an output, not an input.
NATIVE_INPUTS := $(filter-out nocrypto/_native/_nocrypto.c,$(wildcard nocrypto/_native/*.c)) \
                 $(wildcard nocrypto/_native/*.h) $(wildcard nocrypto/_native/*.cdef) \
                 nocrypto/_native/build.py

# Only the directories that exist; mypy is given only those holding Python files
# (it refuses a directory with none).
LINT_DIRS := $(wildcard asn1 nocrypto x509 tls otr tests bench)
LINT_FILES := $(LINT_DIRS) setup.py
MYPY_DIRS = $(sort $(patsubst %/,%,$(dir $(wildcard $(addsuffix /*.py,$(LINT_DIRS))))))

.PHONY: venv lint test demo bench fuzz clean sanitize ct

venv: $(STAMP)

# The venv, with the project installed editable.  setuptools' editable install
# (PEP 660, setuptools>=64) builds the cffi extension in place, next to
# build.py; the last step checks that, from the repository root, so a build
# that lands elsewhere fails here rather than in the tests.  openssl is a test
# oracle (DESIGN.md, Testing); valgrind runs `make ct`; libotr (libotr5-dev) is the OTR
# interop peer (tests/interop/libotr.py).
$(STAMP): pyproject.toml setup.py $(NATIVE_INPUTS)
	@missing=""; \
	  command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	  command -v valgrind >/dev/null 2>&1 || missing="$$missing valgrind"; \
	  [ -e /usr/include/libotr/proto.h ] || missing="$$missing libotr5-dev"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing with apt-get:$$missing"; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y $$missing; fi
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
	$(MAKE) --no-print-directory ct
	$(VPY) -m pytest
	NOCRYPTO_BACKEND=python $(VPY) -m pytest tests/nocrypto -m 'not slow'

# The main job: a CA and server certificates made with x509, our TLS server on 127.0.0.1,
# our client and `openssl s_client` connecting to it, what each negotiated, all stopped.
demo: $(STAMP)
	$(VPY) -m tls demo

# The bench extra (pyproject.toml) holds the reference implementations measured against.
bench: $(STAMP)
	$(VPY) -m pip install -q $$($(VPY) -c "import tomllib; print(' '.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['bench']))")
	$(VPY) bench/run.py

fuzz: $(STAMP)
	$(VPY) -m pip install -e '.[fuzz]'
	$(VPY) tests/fuzz/run_atheris.py $(FUZZ_ARGS)

clean:
	rm -rf build dist *.egg-info .eggs $(VENV)
	rm -f nocrypto/_native/*.so nocrypto/_native/*.o nocrypto/_native/_nocrypto.c
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf .mypy_cache .ruff_cache .hypothesis .pytest_cache

# Memory safety of the C kernels: a copy of the sources in build/sanitize, its extension
# built with ASan + UBSan (every report fatal), and the vector tests run against it.
SANITIZE_DIR := build/sanitize
ASAN_LIBS = $(shell gcc -print-file-name=libasan.so):$(shell gcc -print-file-name=libubsan.so)

sanitize: $(STAMP)
	rm -rf $(SANITIZE_DIR) && mkdir -p $(SANITIZE_DIR)
	cp -r asn1 nocrypto tests pyproject.toml $(SANITIZE_DIR)/
	rm -f $(SANITIZE_DIR)/nocrypto/_native/*.so
	cd $(SANITIZE_DIR) && NOCRYPTO_SANITIZE=1 $(CURDIR)/$(VPY) nocrypto/_native/build.py >/dev/null
	cd $(SANITIZE_DIR) && LD_PRELOAD=$(ASAN_LIBS) ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  $(CURDIR)/$(VPY) -m pytest -p no:cacheprovider tests/nocrypto -q -x

# Constant time of the C kernels under valgrind memcheck (tests/ct/README.md).
CT_BIN := build/ct/ct_driver
CT_SOURCES := $(filter-out nocrypto/_native/_nocrypto.c,$(wildcard nocrypto/_native/*.c))
VALGRIND := valgrind --tool=memcheck --error-exitcode=1 --track-origins=yes -q

$(CT_BIN): tests/ct/ct_driver.c $(CT_SOURCES) $(wildcard nocrypto/_native/*.h)
	@mkdir -p $(dir $@)
	gcc -std=c11 -O2 -g -Wall -Wextra -Wconversion -Werror -fno-strict-aliasing -DNOCRYPTO_CTGRIND \
	  -Inocrypto/_native -o $@ tests/ct/ct_driver.c $(CT_SOURCES)

ct: $(CT_BIN)
	@command -v valgrind >/dev/null || { echo "make ct needs valgrind (make venv installs it)"; exit 1; }
	@if $(VALGRIND) $(CT_BIN) --selftest >/dev/null 2>&1; then \
	  echo "make ct: valgrind did not flag the deliberately leaky self-test"; exit 1; fi
	$(VALGRIND) $(CT_BIN)
	@echo "make ct: no secret-dependent branch or memory index found"
