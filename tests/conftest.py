"""Test set-up shared across folders.

The bundle fixtures (a test PKI, small and signed bundles) serve both tests/bundle and tests/verify, so they are
registered once here; their helper modules are on ``pythonpath`` (pyproject.toml), which worker processes
started by the batch tests inherit.
"""

pytest_plugins = ["bundle_fixtures"]
