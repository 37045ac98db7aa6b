"""Context: the values the wording templates print — the core's common ones, and the type's own merged over them.

Templates never compute. What every contract type has is computed here (:func:`common_context`): the contract
number and title, each declared party under its key and all of them, in signing order, with their roles and the
copies each holds (one each in turn, the first party first: 一式三份 between two parties gives the first two), the
copies in words, the signing date and place, the seal and signature spots' sizes, and the annex list from
``parts.yaml``. The type's ``build_context`` (:mod:`contractgen.catalog`) computes the rest from its model and
returns its names, merged over these; together they are exactly the names listed in ``docs/templates.md``.

A spec without ``signing.date`` gives ``None`` for the signing date, and the templates word it for the pen; a
date is never invented. This module provides data, never wording: every sentence lives in the templates
(``templates/zh/<type>/``), the one wording source. It must not read files (the annex list comes from the template
folder object it is given), must not look at the clock, must never use binary floats for money, and must not
name a contract type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from contractgen.document.model import Contract, Party
from contractgen.numerals import to_chinese_date, to_chinese_number

if TYPE_CHECKING:
    from contractgen.document.templates import PartSpec

__all__ = ["SIGNATURE_MM", "AnnexEntry", "PartyEntry", "annex_entries", "build_context", "common_context"]

#: The width of a hand signature's room in a signature block or form, in millimetres (its height is fixed).
SIGNATURE_MM = 45


@dataclass(frozen=True)
class AnnexEntry:
    id: str  # the part id in parts.yaml
    number: int
    number_cn: str
    title: str
    confirmation: str | None = None  # "block" (its own confirmation block) or "signing" (confirmed by signing)
    standalone: bool = False  # printed without the contract's header and footer


@dataclass(frozen=True)
class PartyEntry:
    """One party of the contract, in signing order: its spec field, its role, and the copies it holds."""

    key: str  # the spec field (parts.yaml's parties[].key)
    role: str  # as the contract names it (parts.yaml's parties[].role)
    party: Party
    copies: int
    copies_cn: str  # in words, 两 for 2 (甲方执两份)


def annex_entries(parts: Sequence[PartSpec]) -> list[AnnexEntry]:
    """The annexes of a template folder, numbered in the order parts.yaml lists them."""
    annexes = [p for p in parts if p.kind == "annex"]
    return [
        AnnexEntry(p.id, n, to_chinese_number(n), p.title or "", p.confirmation, p.standalone)
        for n, p in enumerate(annexes, 1)
    ]


def party_entries(contract: Contract) -> list[PartyEntry]:
    """The parties the contract has, in the order its type declares them, each holding every n-th copy."""
    from contractgen.catalog import contract_type

    present = contract_type(contract.type).present_parties(contract)
    entries: list[PartyEntry] = []
    for n, declared in enumerate(present):
        held = len(range(n, contract.copies, len(present)))
        party: Party = getattr(contract, declared.key)
        entries.append(PartyEntry(declared.key, declared.role, party, held, to_chinese_number(held, liang=True)))
    return entries


def common_context(contract: Contract, parts: Sequence[PartSpec], default_title: str) -> dict[str, Any]:
    """The names every type's templates may use, computed from ``contract``'s common envelope.

    ``parts`` and ``default_title`` come from the contract type's ``parts.yaml`` (the template folder).
    """
    from contractgen.document.templates import present_parts

    signed = contract.signing.date
    parties = party_entries(contract)
    cn_number: Callable[[int], str] = to_chinese_number
    cn_date: Callable[[date], str] = to_chinese_date
    return {
        "contract_no": contract.contract_no,
        "title": contract.title or default_title,
        **{entry.key: entry.party for entry in parties},
        "parties": parties,
        "copies_cn": to_chinese_number(contract.copies, liang=True),
        "signing_date_cn": to_chinese_date(signed) if signed else None,
        "signing_place": contract.signing.place,
        "seal_mm": contract.signing.seal_mm,
        "signature_mm": SIGNATURE_MM,
        "annexes": annex_entries(present_parts(parts, (entry.key for entry in parties))),
        "cn_number": cn_number,
        "cn_date": cn_date,
    }


def build_context(contract: Contract, parts: Sequence[PartSpec], default_title: str) -> dict[str, Any]:
    """Every name the templates may use (``docs/templates.md``): the common ones and the type's own."""
    from contractgen.catalog import contract_type

    common = common_context(contract, parts, default_title)
    return {**common, **contract_type(contract.type).rules.build_context(contract, common)}
