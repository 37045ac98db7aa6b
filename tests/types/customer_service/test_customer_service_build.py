"""Model building: valid spec data → the frozen Contract, exact and with the schema's defaults."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from customer_service_model import Instalment, ServiceLevels

from contractgen.document import load_contract
from contractgen.document.build import build_contract, to_rate
from contractgen.document.model import BankAccount, Contact, Rate
from contractgen.errors import SpecError
from contractgen.spec.loading import load_spec

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "samples"
VALID = ROOT / "tests" / "data" / "specs" / "valid"


def test_the_sample_becomes_the_contract_it_describes() -> None:
    contract, warnings = load_contract(SAMPLES / "customer-service.yaml")
    assert warnings == []
    assert contract.type == "customer-service"
    assert contract.contract_no == "KF-2026-0001"
    assert contract.title is None
    a, b = contract.party_a, contract.party_b
    assert (a.kind, a.name, a.credit_code, a.id_number) == (
        "company",
        "上海明远科技有限公司",
        "91310115MA1H8K3X2A",
        None,
    )
    assert a.legal_representative == "王明远"
    assert a.signatory == "陈思远"
    assert b.signatory == "周恒信"
    assert a.contact == Contact("李静", "021-68881234", "lijing@mingyuan-tech.cn")
    assert b.bank == BankAccount("中国工商银行股份有限公司杭州文三路支行", "1202020409900123456")
    assert contract.term.years == 3
    assert contract.term.start is None
    fee = contract.fee
    assert fee.total == Decimal("360000.00")
    assert str(fee.total) == "360000.00"
    assert (fee.capital, fee.payment, fee.due_days, fee.instalments) == ("叁拾陆万元整", "annual", 15, ())
    assert contract.penalty.breach_rate == Rate("20%", Decimal("20"))
    assert contract.penalty.overdue_rate == Rate("0.05%", Decimal("0.05"))
    assert contract.penalty.overdue_period == "day"
    assert contract.service == ServiceLevels(2, 3, Rate("90%", Decimal("90")), "monthly")
    assert (contract.validity_years, contract.copies) == (3, 2)
    assert contract.signing.date == date(2026, 11, 24)
    assert contract.signing.place == "上海市浦东新区"


def test_defaults_of_the_minimal_sample() -> None:
    contract, _ = load_contract(SAMPLES / "customer-service-minimal.yaml")
    assert contract.party_a.kind == "company"
    assert contract.party_a.contact is None
    assert contract.party_b.bank is None
    assert contract.term.start is None
    assert (contract.fee.payment, contract.fee.due_days, contract.fee.capital) == ("annual", 15, None)
    assert contract.service == ServiceLevels()
    assert contract.signing.place is None


def test_person_start_date_and_instalments() -> None:
    person, _ = load_contract(SAMPLES / "customer-service-person.yaml")
    assert person.party_b.kind == "person"
    assert person.party_b.id_number == "330106199208181623"
    assert person.party_b.credit_code is None
    assert person.party_b.signatory is None
    assert person.party_b.bank is not None
    assert person.party_b.bank.account == "6217001234567890123"  # spaces as typed are removed
    later, _ = load_contract(SAMPLES / "customer-service-start-date.yaml")
    assert later.term.start == date(2027, 1, 1)
    plan, _ = load_contract(SAMPLES / "customer-service-instalments.yaml")
    assert plan.fee.instalments[0] == Instalment(
        date(2027, 1, 10), Decimal("90000.00"), None, "合同签订后首期款"
    )
    assert sum(i.amount or 0 for i in plan.fee.instalments) == plan.fee.total


def test_percent_instalments_keep_their_text() -> None:
    contract, _ = load_contract(VALID / "instalments-percent-fractional.yaml")
    assert [i.percent for i in contract.fee.instalments] == [
        Rate("12.5%", Decimal("12.5")),
        Rate("87.5%", Decimal("87.5")),
    ]
    assert [i.amount for i in contract.fee.instalments] == [None, None]
    total = contract.fee.total
    assert [i.percent.of(total) for i in contract.fee.instalments if i.percent] == [
        Decimal("12500.01"),
        Decimal("87500.07"),
    ]


def test_money_is_exact_at_any_size() -> None:
    text = load_spec(SAMPLES / "customer-service.yaml").data
    text["fee"]["total"] = "999999999999.99"
    text["fee"].pop("capital")
    assert build_contract(text).fee.total == Decimal("999999999999.99")


def test_build_reads_integers_as_text_or_int() -> None:
    raw = load_spec(SAMPLES / "customer-service.yaml").data
    assert raw["term"]["years"] == "3"
    assert build_contract(raw).term.years == 3


@pytest.mark.parametrize(("text", "percent"), [("20%", "20"), ("0.05%", "0.05"), ("100%", "100")])
def test_to_rate(text: str, percent: str) -> None:
    assert to_rate(text) == Rate(text, Decimal(percent))


def test_load_contract_from_text_names_the_source() -> None:
    data = (SAMPLES / "customer-service.yaml").read_bytes().replace(b"total: 360000.00", b"total: 12.345")
    with pytest.raises(SpecError) as caught:
        load_contract("uploaded.yaml", text=data)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.file, diagnostic.path) == ("uploaded.yaml", "fee.total")
    assert str(caught.value) == "uploaded.yaml：有 1 个错误"
    contract, _ = load_contract("uploaded.yaml", text=(SAMPLES / "customer-service.yaml").read_bytes())
    assert contract.contract_no == "KF-2026-0001"
