"""Specs with every string field of a contract type's schema at its longest, one spec per script.

The schema is walked (``$ref`` resolved, the referencing schema's keywords over the referenced one's, ``anyOf``
alternatives followed) for every field that holds a free string; each is filled at its ``maxLength`` in one
script — Latin capitals without a space, digits, CJK, or a mix of all three with punctuation — or, where a
pattern or a check leaves no choice, with the longest value they allow: an e-mail address is ASCII, a phone
number digits, a 大写 must equal the total, a date is a date. Every field the walk finds needs a value maker
here, so a field added to the schema cannot slip past the layout tests.

Values are pseudo-random but fixed (seeded by script, variant and field), so that every value is distinct and
none is a piece of another: "the whole value appears in the text" then means this field's value.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from contractgen import to_capital
from contractgen.numerals import to_chinese_date, to_figures

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schemas" / "customer-service.schema.json"

SCRIPTS = ("latin", "digits", "cjk", "mixed")

# Latin capitals: the widest letters a name is written in (SHANGHAI MINGYUAN …), and none of them breaks.
_ALPHABETS = {
    "latin": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "digits": "0123456789",
    "cjk": "上海明远科技有限公司杭州恒信客户服务外包浙江省西湖区文三路张江镇银行股份支部国际贸易集团发展中心",
    "mixed": "ABCDEFGHWMabcdefgmw0123456789上海明远科技国际集团-_.（）",
}

_PHONE = "+86-0571-{}-{}"  # the longest form the phone pattern takes: 24 characters
_CREDIT_CODES = {"party_a": "91310115MA1H8K3X2A", "party_b": "91330106MA2H3LQ0X5"}
_ID_NUMBER = "330106199208181623"  # a valid check digit, and an adult on the signing date
_SIGNING = "2027-12-28"  # the longest date in words: 二〇二七年十二月二十八日
_DUE_DAYS = 90  # the most the schema allows: each instalment is shown as its due date and these days after
_DUES = ("2028-09-29", "2029-09-29")  # shown as 二〇二八年十二月二十八日, 二〇二九年十二月二十八日

#: Fields a spec cannot hold: 乙方 is a person (no credit code, no legal representative), 甲方 a company; and
#: fields that are not contract text at all (acknowledged warnings speak to contractgen, never to the reader).
UNUSED = (
    "party_a.id_number",
    "party_b.credit_code",
    "party_b.legal_representative",
    "acknowledge[].rule",
    "acknowledge[].path",
    "acknowledge[].reason",
)


@dataclass(frozen=True)
class StringField:
    """A string field of the schema: its path (``party_a.contact.email``, ``fee.instalments[].note``)."""

    path: str
    max_length: int | None

    @property
    def key(self) -> str:
        """The path with the two parties folded into one (``party.contact.email``): the value makers' key."""
        return re.sub(r"^party_[ab]\.", "party.", self.path)


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    while True:
        merged = {**node, **merged}
        ref = node.get("$ref")
        merged.pop("$ref", None)
        if ref is None:
            return merged
        node = root["$defs"][ref.removeprefix("#/$defs/")]


def _is_string(node: dict[str, Any]) -> bool:
    kinds = node.get("type")
    return "string" in (kinds if isinstance(kinds, list) else [kinds]) and not {"enum", "const"} & node.keys()


def _walk(node: dict[str, Any], root: dict[str, Any], path: str) -> Iterator[StringField]:
    node = _resolve(node, root)
    for alternative in node.get("anyOf", []):
        yield from _walk(alternative, root, path)
    if _is_string(node):
        yield StringField(path, node.get("maxLength"))
    for name, child in node.get("properties", {}).items():
        yield from _walk(child, root, f"{path}.{name}" if path else name)
    if isinstance(node.get("items"), dict):
        yield from _walk(node["items"], root, f"{path}[]")


def string_fields(schema_path: Path = SCHEMA) -> list[StringField]:
    """Every string field of the schema, in the schema's order, each path once."""
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return list({f.path: f for f in _walk(schema, schema, "")}.values())


# --- values -----------------------------------------------------------------------------------------------

Maker = Callable[[str, StringField, str], str]


def _filler(script: str, length: int, seed: str) -> str:
    rng = random.Random(f"{script}:{seed}")
    return "".join(rng.choice(_ALPHABETS[script]) for _ in range(length))


def _text(script: str, field: StringField, seed: str) -> str:
    assert field.max_length is not None, field.path
    return _filler(script, field.max_length, seed)


def _contract_no(script: str, field: StringField, seed: str) -> str:
    assert field.max_length is not None
    first = {"latin": "K", "digits": "2", "cjk": "合", "mixed": "K"}[script]  # the pattern's first character
    return first + _filler(script, field.max_length - 1, seed)


def _email(script: str, field: StringField, seed: str) -> str:
    # ASCII only (the pattern): the local part takes what the domain leaves of the 254 characters.
    assert field.max_length is not None
    ascii_script = "digits" if script == "digits" else "latin"
    domain = f"{_filler(ascii_script, 20, seed + '@')}.cn".lower()
    return f"{_filler(ascii_script, field.max_length - len(domain) - 1, seed)}@{domain}"


def _phone(_script: str, field: StringField, seed: str) -> str:
    value = _PHONE.format(_filler("digits", 8, seed), _filler("digits", 6, seed + "-"))
    assert len(value) == field.max_length, field.path
    return value


def _account(script: str, _field: StringField, seed: str) -> str:
    # 32 digits, the pattern's most; grouped by single spaces (63 characters) in half the scripts.
    digits = "6" + _filler("digits", 31, seed)
    return " ".join(digits) if script in ("cjk", "mixed") else digits


def _commission(script: str, field: StringField, seed: str) -> str:
    # One commission's full name must end in 仲裁委员会 (the schema's pattern; legal.arbitration-commission).
    assert field.max_length is not None
    return _filler(script, field.max_length - len("仲裁委员会"), seed) + "仲裁委员会"


def _credit_code(_script: str, field: StringField, _seed: str) -> str:
    return _CREDIT_CODES[field.path.split(".")[0]]


def _fixed(value: str) -> Maker:
    return lambda _script, _field, _seed: value


def _not_contract_text(_script: str, field: StringField, _seed: str) -> str:
    raise AssertionError(f"{field.path} never reaches the documents (UNUSED)")


def _set_elsewhere(_script: str, field: StringField, _seed: str) -> str:
    raise AssertionError(f"{field.path} is set with the fee schedule (max_length_spec)")


#: A value maker for every string field of the schema, by key (the two parties share theirs).
MAKERS: dict[str, Maker] = {
    "title": _text,
    "contract_no": _contract_no,
    "party.name": _text,
    "party.credit_code": _credit_code,
    "party.id_number": _fixed(_ID_NUMBER),
    "party.address": _text,
    "party.legal_representative": _text,
    "party.representative": _text,
    "party.contact.name": _text,
    "party.contact.phone": _phone,
    "party.contact.email": _email,
    "party.bank.name": _text,
    "party.bank.account": _account,
    "term.start": _fixed(_SIGNING),
    "fee.total": _set_elsewhere,
    "fee.capital": _set_elsewhere,
    "fee.instalments[].due": _set_elsewhere,
    "fee.instalments[].amount": _set_elsewhere,
    "fee.instalments[].percent": _set_elsewhere,
    "fee.instalments[].note": _text,
    # The longest rates whose amounts of the total are whole 分 (12.5% of 999,999,999,999.92; cross.rate-fen).
    "penalty.breach_rate": _fixed("12.5000%"),
    "penalty.overdue_rate": _fixed("12.5000%"),
    "penalty.overdue_cap": _fixed("12.5000%"),
    "penalty.late_payment_rate": _fixed("0.0125%"),
    "penalty.late_payment_cap": _fixed("12.3456%"),
    "service.satisfaction_target": _fixed("99.9999%"),
    "signing.date": _fixed(_SIGNING),
    "signing.place": _text,
    "dispute.commission": _commission,
    "termination.compensation_rate": _fixed("12.5000%"),
    "personal_information.kinds": _text,
    "acknowledge[].rule": _not_contract_text,
    "acknowledge[].path": _not_contract_text,
    "acknowledge[].reason": _not_contract_text,
}


@dataclass(frozen=True)
class MaxLengthSpec:
    """A spec's YAML, the value each field was given and the text the documents must show for it, by path."""

    script: str
    text: str
    values: dict[str, str]
    shown: dict[str, str]


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    for name in parents:
        data = data.setdefault(name, {})
    data[leaf] = value


def _fee(script: str) -> dict[str, Any]:
    # The largest total there is whose 12.5% is a whole 分 (the penalty rates below), in two instalments — as
    # amounts, or (digits) as percents, whose total must then split into whole fen.
    if script == "digits":
        total, instalments = "999999999999.92", [{"percent": "12.5%"}, {"percent": "87.5%"}]
    else:
        total, instalments = "999999999999.92", [{"amount": "499999999999.92"}, {"amount": "500000000000.00"}]
    for instalment, due in zip(instalments, _DUES, strict=True):
        instalment["due"] = due
    capital = to_capital(Decimal(total))
    fee = {"total": total, "capital": capital, "payment": "instalments", "due_days": _DUE_DAYS}
    return {**fee, "instalments": instalments}


def _shown(path: str, value: str, total: str) -> str:
    if path.endswith(".percent"):  # shown as the amount it comes to
        return to_figures(Decimal(total) * Decimal(value.removesuffix("%")) / 100)
    if path.endswith(".due"):  # the last day to pay
        return to_chinese_date(date.fromisoformat(value) + timedelta(days=_DUE_DAYS))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return to_chinese_date(date.fromisoformat(value))
    if path.endswith((".total", ".amount")):
        return to_figures(Decimal(value))
    # A rate (第五条's, 8.2's): its figures as the contract writes them.
    if path.startswith(("penalty.", "termination.")) and value.endswith("%"):
        return f"{Decimal(value.removesuffix('%')).normalize():f}%"
    return value


def max_length_spec(script: str, variant: int = 0) -> MaxLengthSpec:
    """A spec of ``script`` with every string field at its longest (``variant`` draws other characters).

    甲方 is a company and 乙方 a person, so that between them every party field is filled (see ``UNUSED``).
    """
    data: dict[str, Any] = {
        "type": "customer-service",
        "party_a": {"kind": "company"},
        "party_b": {"kind": "person"},
        "term": {"years": 20},
        "fee": _fee(script),
        "penalty": {"overdue_period": "month"},
        "service": {"response_hours": 72, "complaint_days": 30, "report_cycle": "quarterly"},
        "validity_years": 30,
        "copies": 10,
        # The choices under which the longest strings of 6.2 and 8.2 are printed: a commission, an agreed sum.
        "dispute": {"method": "arbitration"},
        "termination": {"any_time": "agreed"},
    }
    values = {"fee.total": data["fee"]["total"], "fee.capital": data["fee"]["capital"]}
    for field in string_fields():
        if field.path in UNUSED or MAKERS[field.key] is _set_elsewhere:
            continue
        if field.path.startswith("fee.instalments[]."):
            for n, instalment in enumerate(data["fee"]["instalments"]):
                leaf = field.path.rsplit(".", 1)[1]
                instalment[leaf] = values[f"fee.instalments[{n}].{leaf}"] = MAKERS[field.key](
                    script, field, f"{variant}:{field.path}:{n}"
                )
            continue
        values[field.path] = MAKERS[field.key](script, field, f"{variant}:{field.path}")
        _set(data, field.path, values[field.path])
    for n, instalment in enumerate(data["fee"]["instalments"]):
        values.update({f"fee.instalments[{n}].{k}": v for k, v in instalment.items() if k != "note"})
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    shown = {path: _shown(path, v, values["fee.total"]) for path, v in values.items()}
    return MaxLengthSpec(script, text, values, shown)
