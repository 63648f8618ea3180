"""Interoperability tests: nqsb against other implementations (libotr through a test-only
cffi binding, built on first use into build/, never committed)."""
