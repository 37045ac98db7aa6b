"""`contractgen schema` and `contractgen init`: the schema as shipped, and forms that load and validate."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from contractgen.cli import cli
from contractgen.resources import schema_path
from contractgen.spec.loading import load_spec
from contractgen.validation import validate
from contractgen.validation.schemas import spec_schema

REF = "../schemas/customer-service.schema.json"
OTHER_NAME = "杭州恒信客户服务外包有限公司"
OTHER_CODE = "91330106MA2H3LQ0X5"  # the samples' party_b


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def _form(*options: str) -> str:
    code, out, _ = _invoke("init", "customer-service", "--schema-ref", REF, *options)
    assert code == 0
    return out


def _leaf_paths(schema: dict[str, object]) -> set[str]:
    index = spec_schema("customer-service").index
    paths: set[str] = set()

    def walk(parts: tuple[str, ...]) -> None:
        for name in index.properties(parts):
            child = (*parts, name)
            if index.properties(child):
                walk(child)
            else:
                paths.add(".".join(child))

    walk(())
    return paths


def test_schema_prints_the_file_as_shipped() -> None:
    code, out, _ = _invoke("schema", "customer-service")
    assert code == 0
    assert out == schema_path("customer-service").read_text(encoding="utf-8")
    assert json.loads(out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_without_type_lists_the_types() -> None:
    assert _invoke("schema") == (0, "customer-service\nloan\n", "")


def test_unknown_type_is_invalid_input_listing_the_types() -> None:
    for command in (["schema", "customer-servise"], ["init", "../customer-service"]):
        code, out, err = _invoke(*command)
        assert (code, out) == (3, "")
        assert "未知的合同类型" in err
        assert "可选：customer-service" in err


def test_blank_form_has_every_field_with_a_chinese_comment() -> None:
    form = _form()
    lines = form.splitlines()
    assert lines[0] == f"# yaml-language-server: $schema={REF}"
    # Every field of the schema appears, as a key line (commented out when optional or not applicable).
    keys: list[tuple[int, str]] = []
    for line in lines[4:]:
        match = re.match(r"^( *)(?:# )?(?:- )?([a-z_]+):", line)
        assert match, line
        keys.append((len(match.group(1)), match.group(2)))
        assert re.search(r"  # .*[\u4e00-\u9fff]", line), f"no Chinese comment: {line}"
    stack: list[str] = []
    found: set[str] = set()
    for indent, key in keys:
        stack = [*stack[: indent // 2], key]
        found.add(".".join(stack))
    assert _leaf_paths({}) <= found


def test_blank_form_loads_and_only_asks_for_the_blanks() -> None:
    spec = load_spec("form.yaml", text=_form())
    diagnostics = validate(spec)
    assert diagnostics
    assert all(d.message.startswith("不能为空：请填写") for d in diagnostics)
    assert {d.path for d in diagnostics} >= {"contract_no", "party_a.name", "fee.total"}


def test_example_form_validates_strictly_and_matches_the_schema_examples() -> None:
    form = _form("--example")
    spec = load_spec("example.yaml", text=form)
    assert validate(spec, strict=True) == []
    assert spec.data["party_a"]["credit_code"] == "91310115MA1H8K3X2A"
    assert spec.data["fee"]["total"] == "360000.00"
    assert "# instalments:" in form  # not applicable to annual payment: shown, commented out
    assert "      # percent: 30%" in form


def test_uncommenting_the_instalment_example_gives_a_valid_instalment_plan() -> None:
    lines = _form("--example").replace("payment: annual", "payment: instalments").splitlines()
    start = lines.index(next(line for line in lines if line.startswith("  # instalments:")))
    end = start + 1
    while lines[end].startswith(("    # ", "      # ")):
        end += 1
    lines[start:end] = [line.replace("# ", "", 1) for line in lines[start:end]]
    spec = load_spec("plan.yaml", text="\n".join(lines))
    assert len(spec.data["fee"]["instalments"]) == 3
    assert validate(spec, strict=True) == []


def test_the_schema_reference_is_never_a_path_of_this_machine() -> None:
    code, out, _ = _invoke("init", "customer-service")
    assert code == 0
    assert out.splitlines()[0] == "# yaml-language-server: $schema=customer-service.schema.json"
    assert "file://" not in out
    assert str(schema_path("customer-service").parent) not in out
    assert "contractgen schema --export" in out  # says how to put the schema beside the form


def _fill_required_blanks(form: str) -> str:
    """What a user does with the blank form: fill every 必填 blank (with the example its comment gives)."""
    lines = []
    for line in form.splitlines():
        match = re.match(r"^( *)([a-z_]+):( *)# .*（必填）.*例：(\S+)", line)
        if match and not line.lstrip().startswith("#"):
            indent, key, _, example = match.groups()
            lines.append(f"{indent}{key}: {json.dumps(example, ensure_ascii=False)}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def test_a_form_filled_in_only_at_its_required_fields_validates() -> None:
    filled = _fill_required_blanks(_form())
    # The schema's examples describe one company; the second party is another one.
    b = filled.index("party_b:")
    filled = filled[:b] + filled[b:].replace("上海明远科技有限公司", OTHER_NAME, 1).replace(
        "91310115MA1H8K3X2A", OTHER_CODE, 1
    )
    errors = [d for d in validate(load_spec("filled.yaml", text=filled)) if d.severity == "error"]
    assert errors == []
    assert "# contact:" in filled  # optional groups stay commented out
    assert "# bank:" in filled


def test_init_without_a_type_lists_the_types() -> None:
    code, out, _ = _invoke("init")
    assert (code, out.split()) == (0, ["customer-service", "loan"])


def test_init_to_a_file_puts_the_schema_beside_it_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "specs" / "my.yaml"
    assert _invoke("init", "customer-service", "-o", str(target))[0] == 0
    schema = tmp_path / "specs" / "customer-service.schema.json"
    assert schema.read_text(encoding="utf-8") == schema_path("customer-service").read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=customer-service.schema.json")
    code, _, err = _invoke("init", "customer-service", "-o", str(target))
    assert code == 3
    assert "已存在" in err


def test_schema_export_writes_every_type(tmp_path: Path) -> None:
    code, out, _ = _invoke("schema", "--export", str(tmp_path / "s"))
    assert code == 0
    assert out.split() == [str(tmp_path / "s" / f"{name}.schema.json") for name in ("customer-service", "loan")]
    assert json.loads((tmp_path / "s" / "customer-service.schema.json").read_text(encoding="utf-8"))["title"]


def test_form_is_written_to_a_file_and_validated_by_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "my.yaml"
    path.write_text(_form("--example"), encoding="utf-8")
    assert _invoke("validate", "--strict", str(path))[0] == 0
    path.write_text(_form(), encoding="utf-8")
    assert _invoke("validate", str(path))[0] == 3


def test_help_starts_with_examples() -> None:
    for command in ("init", "schema"):
        code, out, _ = _invoke(command, "--help")
        assert code == 0
        assert "Example:\n      contractgen " in out
        assert f"contractgen {command} TYPE " in out  # the core names no type: TYPE, and `contractgen init` lists them
