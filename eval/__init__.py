"""The evaluation of the offline exam generator (issue 13, docs/quality.md): `make eval`.

A development tool like bench/: not installed into the wheel (setuptools finds only examgen*).
"""
