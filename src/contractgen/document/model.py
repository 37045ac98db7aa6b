"""The typed model's common parts: the frozen objects every contract type's model is made of.

A contract type's own model (built by its rules module, :mod:`contractgen.catalog`) is a frozen object carrying the
common envelope — :class:`Contract` says which attributes — and its parties as :class:`Party` objects; money is
``Decimal`` straight from the spec's source text; rates keep the text the user wrote beside their exact value
(:class:`Rate`); dates are ``datetime.date`` parsed from the spec (never from the clock).

This module defines shapes only: it must not validate (that is :mod:`contractgen.validation.validator`), compute
derived wording (that is :mod:`contractgen.document.context`), name a contract type, or import anything heavy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, Protocol

__all__ = ["BankAccount", "Contact", "Contract", "Party", "PartyKind", "Rate", "Signing"]

PartyKind = Literal["company", "person"]


@dataclass(frozen=True)
class Rate:
    """A rate as the spec wrote it (``"20%"``, ``"0.05%"``) and its exact value in percent (``Decimal("20")``)."""

    text: str
    percent: Decimal

    def of(self, amount: Decimal) -> Decimal:
        """The exact amount this rate comes to on ``amount`` (not rounded: the caller decides how)."""
        return amount * self.percent / Decimal(100)


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class BankAccount:
    name: str  # 开户银行
    account: str  # 账号, digits as typed (spaces removed)


@dataclass(frozen=True)
class Party:
    """A party to the contract. A company carries a credit code and a legal representative; a person an ID number."""

    kind: PartyKind
    name: str
    address: str
    credit_code: str | None = None  # 统一社会信用代码 (company)
    id_number: str | None = None  # 居民身份证号码 (person)
    legal_representative: str | None = None  # 法定代表人 (company)
    representative: str | None = None  # 授权代表 / 签字人; None: the legal representative signs
    contact: Contact | None = None
    bank: BankAccount | None = None

    @property
    def signatory(self) -> str | None:
        """Who signs for this party: the authorised representative, else the legal representative."""
        return self.representative or self.legal_representative


@dataclass(frozen=True)
class Signing:
    """签订日期 and 签订地点. ``date`` is ``None`` when the spec leaves it out: the parties write it by hand in
    the signature block, and everything that counts from it is worded relative to it, never computed."""

    date: date | None = None
    place: str | None = None
    seal_mm: int = 42  # the side of each seal spot in the signature block, in millimetres
    cross_page_seal: bool = False  # 骑缝章: every page keeps a strip free at its right edge


class Contract(Protocol):
    """What the core reads of every type's model: the common envelope of the spec. A type's frozen dataclass
    with these attributes is one; its parties are attributes named by the keys its ``parts.yaml`` declares."""

    @property
    def type(self) -> str: ...  # names the template folder and the schema

    @property
    def contract_no(self) -> str: ...

    @property
    def title(self) -> str | None: ...  # None: the type's own title

    @property
    def copies(self) -> int: ...

    @property
    def signing(self) -> Signing: ...
