"""Benchmarks of the site, run by `make bench`."""
