"""Form wording: each case of tests/data/server/form-wording.yaml, the CLI's message turned into the form's; and
through the API, ``?wording=form`` rewords the diagnostics while every other field stays the CLI's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from server_client import Api

from contractgen.server.form_wording import form_message, path_parts
from contractgen.validation.schema_index import SchemaIndex
from contractgen.validation.schemas import spec_schema

CASES = yaml.safe_load((Path(__file__).parents[1] / "data" / "server" / "form-wording.yaml").read_text("utf-8"))
INDEX = SchemaIndex(json.loads(spec_schema("customer-service").text))
YAML_WORD = re.compile(r"\b[a-z_]{3,}\b|: ")  # a key, a value to type, or YAML's colon


@pytest.mark.parametrize("case", CASES, ids=[f"{c['path']}-{n}" for n, c in enumerate(CASES)])
def test_the_form_says_it_in_form_words(case: dict[str, Any]) -> None:
    assert form_message(case, INDEX) == case["form"]
    assert not YAML_WORD.search(case["form"])


def test_paths_with_list_indexes() -> None:
    assert path_parts("fee.instalments[1].amount") == ["fee", "instalments", 1, "amount"]


def test_the_api_rewords_only_when_asked(api: Api) -> None:
    body = b"type: customer-service\nparty_a:\n  kind: company\n"
    plain = api("POST", "/api/validate", body)
    worded = api("POST", "/api/validate?wording=form&type=customer-service", body)
    assert plain.status == worded.status == 400
    cli, form = plain.json["diagnostics"], worded.json["diagnostics"]
    assert [{k: v for k, v in d.items() if k != "message"} for d in cli] == [
        {k: v for k, v in d.items() if k != "message"} for d in form
    ]
    assert any('"contract_no"' in d["message"] for d in cli)
    assert "请填写“合同编号”" in [d["message"] for d in form]
    assert not any(YAML_WORD.search(d["message"]) for d in form)
