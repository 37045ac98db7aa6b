"""The customer-service contract's model: the frozen objects its rules build from a valid spec.

The common parts (:class:`~contractgen.document.model.Party`, :class:`~contractgen.document.model.Rate`,
:class:`~contractgen.document.model.Signing` …) are the core's; everything here is this type's own: the term, the
fee and its instalments, the penalties, the service levels and the clauses added beside the reference's.

This module defines shapes only: it must not validate, compute derived wording (that is
:mod:`customer_service_context`), or import anything heavy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from contractgen.document.model import Party, Rate, Signing

__all__ = [
    "AnyTimeTermination",
    "Contract",
    "CourtConnection",
    "Dispute",
    "DisputeMethod",
    "Fee",
    "Instalment",
    "Notices",
    "PaymentMode",
    "Penalty",
    "Period",
    "PersonalInformation",
    "ReportCycle",
    "ServiceLevels",
    "Term",
    "Termination",
]

PaymentMode = Literal["annual", "lump_sum", "instalments"]
Period = Literal["day", "week", "month"]
ReportCycle = Literal["monthly", "quarterly"]
AnyTimeTermination = Literal["statutory", "agreed"]
DisputeMethod = Literal["court", "arbitration"]
#: The connections 《民事诉讼法》第三十五条 lets the parties choose a court by.
CourtConnection = Literal[
    "defendant_domicile", "performance_place", "signing_place", "plaintiff_domicile", "subject_matter_place"
]
#: 第九条's kinds of personal information when the spec names none (the schema's default).
DEFAULT_PI_KINDS = "姓名、联系电话、电子邮箱、通信地址、咨询和投诉记录、满意度评价"


@dataclass(frozen=True)
class Term:
    years: int
    start: date | None = None  # None: 自双方签字之日起计算 (from the signing date)


@dataclass(frozen=True)
class Instalment:
    """One agreed payment. Exactly one of ``amount`` and ``percent`` is set in the spec."""

    due: date | None = None
    amount: Decimal | None = None
    percent: Rate | None = None
    note: str | None = None


@dataclass(frozen=True)
class Fee:
    total: Decimal
    payment: PaymentMode = "annual"
    capital: str | None = None  # the 大写 the user typed, already checked to agree with ``total``
    due_days: int = 15
    instalments: tuple[Instalment, ...] = ()


@dataclass(frozen=True)
class Penalty:
    breach_rate: Rate
    overdue_rate: Rate
    overdue_period: Period | None = None  # None: a one-off overdue penalty
    overdue_cap: Rate | None = None  # the overdue penalty's total at most this share of the contract amount
    late_payment_rate: Rate | None = None  # 甲方's late payment: per day, of the amount overdue
    late_payment_cap: Rate | None = None  # its total at most this share of the amount overdue


@dataclass(frozen=True)
class ServiceLevels:
    response_hours: int = 2
    complaint_days: int = 3
    satisfaction_target: Rate = field(default_factory=lambda: Rate("90%", Decimal(90)))
    report_cycle: ReportCycle = "monthly"


@dataclass(frozen=True)
class Termination:
    """第八条: termination for breach after a cure period, the any-time termination of 《民法典》第九百三十三条
    and its compensation, the pro-rata refund and the handover and deletion of data."""

    cure_days: int = 15  # days after a written demand to cure a breach of a main obligation
    any_time: AnyTimeTermination = "statutory"  # 933's compensation as the statute says, or an agreed amount
    notice_days: int = 30  # prior written notice of an any-time termination
    compensation_rate: Rate | None = None  # any_time "agreed": the compensation, a share of the contract amount
    refund_days: int = 15  # days to refund prepaid fees (or pay fees due) after an early end
    handover_days: int = 15  # days to hand data back and delete the copies after the end


@dataclass(frozen=True)
class Dispute:
    """第六条 6.2: the court clause of the reference (``court`` without a connection), a court chosen by a
    connection of 《民事诉讼法》第三十五条, or arbitration before exactly one commission — never both."""

    method: DisputeMethod = "court"
    court_connection: CourtConnection | None = None
    commission: str | None = None  # arbitration: the one commission's full name


@dataclass(frozen=True)
class Notices:
    """第十条: the party blocks' addresses (and e-mails) as service addresses."""

    electronic: bool | None = None  # None: a party that gives an e-mail consents to electronic service
    change_days: int = 3  # days to notify a change of address


@dataclass(frozen=True)
class PersonalInformation:
    """第九条 (委托处理, 《个人信息保护法》第二十一条) and 附件五's notice (第十七条)."""

    kinds: str = DEFAULT_PI_KINDS
    retention_months: int = 12  # how long 甲方 keeps a survey's personal information after the survey


@dataclass(frozen=True)
class Contract:
    """A whole, valid contract spec. ``type`` names the template folder and the schema."""

    type: str
    contract_no: str
    party_a: Party
    party_b: Party
    term: Term
    fee: Fee
    penalty: Penalty
    validity_years: int
    copies: int
    signing: Signing = field(default_factory=Signing)
    service: ServiceLevels = field(default_factory=ServiceLevels)
    title: str | None = None  # None: the contract type's own title
    termination: Termination = field(default_factory=Termination)
    dispute: Dispute = field(default_factory=Dispute)
    notices: Notices = field(default_factory=Notices)
    personal_information: PersonalInformation = field(default_factory=PersonalInformation)
    standard_terms: bool = False  # 格式条款: the liability clauses marked in bold, the parties' confirmation
