"""Test set-up shared across folders.

The test folders mirror ``src/contractgen`` (spec, validation, document, writers, bundling, batch, cli,
numerals). Their shared helpers — the rendered sample, a test PKI, small and signed bundles, batch tasks,
numeral case tables — live in ``tests/support/``, which is on ``pythonpath`` (pyproject.toml), so worker processes
started by the batch tests import them too. The fixture modules among them are registered once here.
"""

pytest_plugins = ["bundle_fixtures", "render_fixtures"]
