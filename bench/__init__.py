"""The benchmark suite (issue 8): `make bench` runs bench/run.py."""
