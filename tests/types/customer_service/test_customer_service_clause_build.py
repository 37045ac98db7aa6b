"""Model building of the clauses after the reference's: the all-options sample's values, and the defaults a spec
that leaves the groups out gets (the schema's, repeated by the model)."""

from __future__ import annotations

import json
from decimal import Decimal

from customer_service_model import Dispute, Notices, PersonalInformation, Termination
from render_helpers import ROOT, SAMPLES

from contractgen.document import load_contract
from contractgen.document.model import Rate


def test_the_all_options_sample_builds_every_clause_value() -> None:
    contract, warnings = load_contract(SAMPLES / "customer-service-all-options.yaml")
    assert warnings == []
    assert contract.termination == Termination(10, "agreed", 60, Rate("10%", Decimal(10)), 10, 10)
    assert contract.dispute == Dispute("arbitration", None, "上海仲裁委员会")
    assert contract.notices == Notices(electronic=True, change_days=5)
    assert contract.personal_information == PersonalInformation(
        "姓名、联系电话、电子邮箱、咨询和投诉记录、满意度评价", 6
    )
    assert contract.standard_terms is True


def test_a_spec_without_the_groups_gets_the_schema_defaults() -> None:
    contract, _warnings = load_contract(SAMPLES / "customer-service-minimal.yaml")
    assert contract.termination == Termination()
    assert contract.dispute == Dispute()
    assert contract.notices == Notices()
    assert contract.personal_information == PersonalInformation()
    assert contract.standard_terms is False
    schema = json.loads((ROOT / "schemas" / "customer-service.schema.json").read_text(encoding="utf-8"))["properties"]
    for group, model in (
        ("termination", Termination()),
        ("personal_information", PersonalInformation()),
        ("notices", Notices()),
        ("dispute", Dispute()),
    ):
        for name, field in schema[group]["properties"].items():
            if "default" in field:
                assert getattr(model, name) == field["default"], (group, name)
