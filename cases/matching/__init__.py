"""The matching engine: normalize → block → score → decide.

Everything but `engine` is pure (plain data in, plain data out) so it can be tested with tables.
docs/matching.md maps the modules and lists the safety rules.
"""
