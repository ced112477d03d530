"""Deterministic demo data of a Russian B2B sales department (see generate.py)."""
