"""contractgen: YAML contract specs to complete, signable Chinese contracts (DOCX and PDF).

The public API is this package's top-level names. They are imported lazily, on first use, so that
``import contractgen`` (and with it ``contractgen --help``) loads no heavy module: WeasyPrint, python-docx and
docxtpl are imported only by the stages that write documents.

    >>> import contractgen
    >>> contractgen.to_capital("1680.32")
    '壹仟陆佰捌拾元零叁角贰分'
"""

from __future__ import annotations

import importlib

# ``typing`` costs milliseconds to import and is needed only by type checkers, which treat any name
# ``TYPE_CHECKING`` as true; keeping it out keeps ``import contractgen`` (and ``--help``) instant.
TYPE_CHECKING = False

__version__ = "0.1.0"

# name -> module that defines it. One table, so the API and its lazy loading cannot drift apart.
_API: dict[str, str] = {
    "to_capital": "contractgen.numerals",
    "parse_capital": "contractgen.numerals",
    "load_spec": "contractgen.spec",
    "validate": "contractgen.validation",
    "render": "contractgen.writers",
    "bundle": "contractgen.bundling",
    "verify": "contractgen.bundling",
    "diff": "contractgen.comparison",
    "lint": "contractgen.authoring",
    "render_batch": "contractgen.writers.batch_rendering",
    "batch_report": "contractgen.batch",
    "Shard": "contractgen.batch",
    "ContractgenError": "contractgen.errors",
}

__all__ = [  # noqa: PLE0604  (built from the one table above)
    "__version__",
    *_API,
]

if TYPE_CHECKING:
    from typing import Any

    from contractgen.errors import ContractgenError as ContractgenError
    from contractgen.numerals import parse_capital as parse_capital
    from contractgen.numerals import to_capital as to_capital


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'contractgen' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
