"""Model building: a validated spec's data → its type's frozen model, through the type's ``build_model``.

The core builds what every type shares, for the types' rules to call (:mod:`contractgen.catalog`): a party
(:func:`build_party`), the signing (:func:`build_signing`), a rate (:func:`to_rate`: the text the user wrote beside
its exact value, ``Rate("0.05%", Decimal("0.05"))``). Money becomes ``Decimal`` straight from the text the user
wrote, read by the numerals' one reader of amounts (:func:`~contractgen.numerals.parse_amount`); dates become
``datetime.date``; integers may arrive as ``int`` (the typed view) or as their text (the loader's data) and mean
the same. Defaults are the schema's: a missing ``kind`` is a company, a missing ``signing.date`` (or ``signing``)
is a date left for the pen.

This stage runs only on data that passed validation: it must not validate, must not report, must never use
``float``, and must not name a contract type. Fed anything else it may raise ``KeyError``/``ValueError`` — a bug in
the caller, not a user error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, cast

from contractgen.document.model import BankAccount, Contact, Contract, Party, PartyKind, Rate, Signing

__all__ = ["DEFAULT_SEAL_MM", "build_contract", "build_party", "build_signing", "optional_text", "to_rate"]

Data = Mapping[str, Any]

#: The room a seal spot reserves when the spec does not say: a 42 mm square, the usual company seal's size.
DEFAULT_SEAL_MM = 42


def to_rate(text: str) -> Rate:
    """``"20%"`` → ``Rate("20%", Decimal("20"))``."""
    return Rate(text, Decimal(text.removesuffix("%")))


def optional_text(data: Data, key: str) -> str | None:
    """``data[key]`` as text, or ``None`` when the spec leaves it out."""
    value = data.get(key)
    return None if value is None else str(value)


def build_party(data: Data) -> Party:
    """A party object of the spec (the schema's shared ``$defs/party``) → :class:`Party`."""
    contact = data.get("contact")
    bank = data.get("bank")
    return Party(
        kind=cast(PartyKind, data.get("kind", "company")),
        name=str(data["name"]),
        address=str(data["address"]),
        credit_code=optional_text(data, "credit_code"),
        id_number=optional_text(data, "id_number"),
        legal_representative=optional_text(data, "legal_representative"),
        representative=optional_text(data, "representative"),
        contact=(
            Contact(str(contact["name"]), optional_text(contact, "phone"), optional_text(contact, "email"))
            if contact
            else None
        ),
        bank=BankAccount(str(bank["name"]), "".join(str(bank["account"]).split())) if bank else None,
    )


def build_signing(data: Data | None) -> Signing:
    """The spec's ``signing`` group (or ``None``) → :class:`Signing`."""
    signing = data or {}
    signed = signing.get("date")
    return Signing(
        date=date.fromisoformat(signed) if signed else None,
        place=optional_text(signing, "place"),
        seal_mm=int(signing.get("seal_mm", DEFAULT_SEAL_MM)),
        cross_page_seal=signing.get("cross_page_seal") is True,
    )


def build_contract(data: Data) -> Contract:
    """The model of ``data``'s type, by that type's ``build_model``; ``data`` must have passed
    :func:`contractgen.validation.validator.validate`."""
    from contractgen.catalog import contract_type

    model: Contract = contract_type(str(data["type"])).rules.build_model(data)
    return model
