"""Catalog: the contract types there are, what each declares, and its own Python — found, read and loaded.

Takes a type's name (a spec's ``type``); gives its :class:`ContractType`: the declaration of its ``parts.yaml``
and its :class:`TypeRules`. The core names no type and no type's field: everything a type has of its own — its
model, its derived values, its checks — lives in its folder, and reaches the core only through this package.

A type is the folder ``templates/zh/<type>/`` with ``schemas/<type>.schema.json`` and samples under ``samples/``.

``parts.yaml`` (besides ``title`` and ``parts``, read by :class:`contractgen.document.templates.TemplateFolder`)::

    type: lease                      # must equal the folder's name
    samples: [lease.yaml, lease-furnished.yaml]  # under samples/; the first is the type's example
    rules: lease_rules.py            # the type's module in this folder; default <type in snake case>_rules.py
    parties:                         # signing order; the holders of the counterparts
      - {key: lessor, role: 出租人}   # key: the top-level spec field holding the party ($defs/party)
      - {key: lessee, role: 承租人}
      - {key: surety, role: 保证人, optional: true}   # present only when the spec has it

Every Python file of a type folder is named ``<type in snake case>_*.py`` (``lease_rules.py``,
``lease_rent.py``): a type folder is no package (its name may hold a hyphen), so its modules are top-level
modules, unique across types, importing one another by plain absolute imports (``from lease_rent import
rent_table``); :mod:`.loader` serves exactly those names from exactly that folder, in a checkout and in an
installed wheel, and mypy (``--strict``) checks all type folders in one run.

The rules module (:mod:`.rules` reads it)::

    def build_model(data: Mapping[str, Any]) -> Model
        # validated data → the type's frozen model; must not validate. The model carries the common envelope as
        # attributes: type, contract_no, title (None: the type's title), copies, signing (a
        # contractgen.document.model.Signing), and each declared party under its key (a Party, or None when an
        # optional party is absent). contractgen.document.build offers build_party, build_signing, to_rate.
    def build_context(model: Model, common: Mapping[str, Any]) -> dict[str, Any]
        # the type's derived values for its templates, merged over `common`: what the core computes for every
        # type (contractgen.document.context.common_context: contract_no, title, every party under its key,
        # `parties` with roles and the copies each holds, copies_cn, signing_date_cn, signing_place, seal_mm,
        # signature_mm, annexes, cn_number, cn_date).
    CHECKS: Mapping[str, Check]
        # the names the schema's "x-checks" use → contractgen.validation.checks.Check functions
        # (ctx: CheckContext, path: str) -> Iterable[Diagnostic]; the core's own checks (parties' codes and
        # ages, seal size, address spacing …) are added to them; a type's name wins over none of the core's.
    # optional:
    def document_date(model: Model) -> date | None   # the date the files carry; default model.signing.date
    DOCUMENT_DATE_SOURCE: str   # how a bundle's manifest names that date when it is not the signing date
                                # (epoch.source); default "document_date"
    SUBSTANTIVE_FIELDS: frozenset[str]      # top-level fields whose change a diff calls substantive (the parties
                                            # always are)
    DERIVED_NAMES: tuple[tuple[str, str], ...]   # context paths a diff names when they change (``*``: any index)

A type may import the core's mechanisms: :mod:`contractgen.numerals`, :mod:`contractgen.validation.checks`,
:mod:`contractgen.diagnostics`, :mod:`contractgen.document.model` and :mod:`contractgen.document.build`.

This package must not name a type, must not validate a spec or render anything, and must never run a type's code
before that type is asked for.
"""

from contractgen.catalog.declaration import PartyDeclaration, TypeDeclaration
from contractgen.catalog.rules import TypeRules
from contractgen.catalog.types import ContractType, contract_type, type_names

__all__ = ["ContractType", "PartyDeclaration", "TypeDeclaration", "TypeRules", "contract_type", "type_names"]
