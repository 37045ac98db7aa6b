"""Templates: a contract type's template folder (``parts.yaml``, assets) and the one Jinja environment.

A contract type's folder (``templates/zh/<type>/``) lists its parts in ``parts.yaml``: an id, a
template file, a kind (contract, sections, annex) and, for an annex, its title and two optional
declarations: ``confirmation`` (``block``: the annex carries its own confirmation block for 甲方;
``signing``: the contract states that signing it confirms the annex) for an annex that takes effect
once confirmed, and ``standalone: true`` for a form handed out on its own (printed without the
contract's header and footer); any part may be ``with_party: KEY``, an optional party's key, and
exists only when the spec has that party (a 保证书 needs its 保证人). Each template is rendered by a
sandboxed Jinja environment (``StrictUndefined``, XML autoescaping, ``None`` refused): spec values
reach the templates only as context data and are escaped on output, so they can never become markup
or template source. Any Jinja error is a :class:`~contractgen.errors.TemplateError` naming the
template file and line.

This module must not parse the rendered markup (that is :mod:`contractgen.document.markup`), nor compute wording
from the contract (:mod:`contractgen.document.context`), nor name a contract type.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, cast

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment

from contractgen.catalog.declaration import DECLARATION_KEYS
from contractgen.document.budget import template_budget
from contractgen.document.sandbox import GuardedSandbox
from contractgen.document.tree import PartKind
from contractgen.errors import TemplateError

__all__ = [
    "CONFIRMATIONS",
    "PARTS_FILE",
    "PartSpec",
    "TemplateFolder",
    "present_parts",
    "render_template",
    "sandboxed_environment",
]

PARTS_FILE = "parts.yaml"

_KINDS: tuple[PartKind, ...] = ("contract", "sections", "annex")
#: How an annex that takes effect once confirmed is confirmed: by a block of its own, or by signing the contract.
CONFIRMATIONS = ("block", "signing")
_KEYS = frozenset({"id", "template", "kind", "title", "confirmation", "standalone", "with_party"})
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,40}")
_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,80}")


# --- the template folder ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartSpec:
    """One entry of ``parts.yaml``."""

    id: str
    template: str
    kind: PartKind
    title: str | None = None
    confirmation: str | None = None  # one of CONFIRMATIONS, annexes only
    standalone: bool = False  # annexes only
    with_party: str | None = None  # an optional party's key: the part exists only when the spec has that party


@dataclass
class TemplateFolder:
    """A contract type's template folder: its parts, its Jinja environment, and its asset files.

    Assets (print CSS, the Word house template) are looked up in the type's folder first, then in the language
    folder above it (``templates/zh/``), so a type can override the shared ones.
    """

    path: Path
    title: str
    parts: tuple[PartSpec, ...]
    _env: SandboxedEnvironment | None = field(default=None, repr=False)

    @classmethod
    def open(cls, path: Path) -> TemplateFolder:
        path = path.resolve()
        parts_file = path / PARTS_FILE
        try:
            data = yaml.safe_load(parts_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise TemplateError(f"{parts_file}: 找不到模板目录的 parts.yaml") from None
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise TemplateError(f"{parts_file}: 无法读取：{error}") from None
        title, parts = _parse_parts(data, parts_file)
        for part in parts:
            if not (path / part.template).is_file():
                raise TemplateError(f"{parts_file}: 部分 {part.id} 的模板 {part.template} 不存在")
        return cls(path, title, parts)

    @property
    def asset_roots(self) -> tuple[Path, ...]:
        """The folders whose files the renderers may read: this type's folder and the language folder."""
        return (self.path, self.path.parent)

    def asset(self, name: str) -> Path:
        """The asset file ``name``, from this type's folder or else the language folder."""
        for root in self.asset_roots:
            candidate = root / name
            if candidate.is_file():
                return candidate
        raise TemplateError(f"{self.path}: 找不到模板资源文件 {name}")

    @property
    def environment(self) -> SandboxedEnvironment:
        if self._env is None:
            from contractgen.document.template_cache import shipped_cache

            self._env = sandboxed_environment(jinja2.FileSystemLoader(str(self.path)))
            self._env.bytecode_cache = shipped_cache(self.path)  # compiled at install, for shipped types only
        return self._env


def _parse_parts(data: object, where: Path) -> tuple[str, tuple[PartSpec, ...]]:
    def fail(message: str) -> NoReturn:
        raise TemplateError(f"{where}: {message}")

    if not isinstance(data, dict):
        fail("应为一个映射，含 title 和 parts")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        fail("缺少 title（合同的默认标题）")
    entries = data.get("parts")
    if not isinstance(entries, list) or not entries:
        fail("parts 应为非空列表")
    unknown = set(data) - {"title", "parts"} - DECLARATION_KEYS  # the type's declaration: contractgen.catalog
    if unknown:
        fail(f"未知的键：{', '.join(sorted(map(str, unknown)))}")
    parts: list[PartSpec] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            fail(f"parts 第 {n} 项应为映射")
        extra = set(entry) - _KEYS
        if extra:
            fail(f"parts 第 {n} 项有未知的键：{', '.join(sorted(map(str, extra)))}")
        part_id, template, kind, part_title = (entry.get(k) for k in ("id", "template", "kind", "title"))
        if not isinstance(part_id, str) or not _ID.fullmatch(part_id) or part_id in seen:
            fail(f"parts 第 {n} 项的 id 无效或重复：{part_id!r}")
        seen.add(part_id)
        if not isinstance(template, str) or not _TEMPLATE_NAME.fullmatch(template):
            fail(f"部分 {part_id} 的 template 应为本目录中的文件名，收到 {template!r}")
        if kind not in _KINDS:
            fail(f"部分 {part_id} 的 kind 应为 {' / '.join(_KINDS)}，收到 {kind!r}")
        if part_title is not None and (not isinstance(part_title, str) or not part_title.strip()):
            fail(f"部分 {part_id} 的 title 应为非空文字")
        if kind == "annex" and part_title is None:
            fail(f"附件 {part_id} 缺少 title")
        confirmation, standalone = entry.get("confirmation"), entry.get("standalone", False)
        if kind != "annex" and ("confirmation" in entry or "standalone" in entry):
            fail(f"部分 {part_id} 不是附件，不能写 confirmation 或 standalone")
        if confirmation is not None and confirmation not in CONFIRMATIONS:
            fail(f"附件 {part_id} 的 confirmation 应为 {' / '.join(CONFIRMATIONS)}，收到 {confirmation!r}")
        if not isinstance(standalone, bool):
            fail(f"附件 {part_id} 的 standalone 应为 true 或 false，收到 {standalone!r}")
        with_party = entry.get("with_party")
        if with_party is not None and with_party not in _optional_parties(data):
            fail(f"部分 {part_id} 的 with_party 应为 parties 中一个 optional 当事人的 key，收到 {with_party!r}")
        parts.append(
            PartSpec(part_id, template, cast(PartKind, kind), part_title, confirmation, standalone, with_party)
        )
    return title, tuple(parts)


def _optional_parties(data: dict[str, Any]) -> set[str]:
    """The keys of the parties parts.yaml declares optional (the declaration itself is checked by the catalog)."""
    parties = data.get("parties")
    if not isinstance(parties, list):
        return set()
    return {p["key"] for p in parties if isinstance(p, dict) and p.get("optional") is True and "key" in p}


def present_parts(parts: Sequence[PartSpec], party_keys: Iterable[str]) -> tuple[PartSpec, ...]:
    """The parts a contract has: all but those ``with_party`` a party it lacks (保证书 without a 保证人).
    Annexes are numbered among these, so the numbers close up."""
    present = set(party_keys)
    return tuple(p for p in parts if p.with_party is None or p.with_party in present)


# --- Jinja ------------------------------------------------------------------------------------------------


def _refuse_none(value: object) -> object:
    # `{{ x }}` with x None would print "None" into a contract: always a template bug (test with {% if %}).
    if value is None:
        raise TemplateError("模板输出了空值（None）：可能为空的字段须先用 {% if … %} 判断")
    return value


def sandboxed_environment(loader: jinja2.BaseLoader | None = None) -> SandboxedEnvironment:
    """The one Jinja environment contractgen renders with: sandboxed, strict, XML-autoescaped, and guarded
    (:class:`~contractgen.document.sandbox.GuardedSandbox`: a time budget for each render, size limits).

    Also used for a user's Word template (``--docx-template``), so both get the same guarantees.
    """
    return GuardedSandbox(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_refuse_none,
        auto_reload=True,
    )


def _template_line(error: BaseException, filename: str) -> int | None:
    """The template line an exception raised during rendering points at (Jinja rewrites the traceback)."""
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return line


def render_template(folder: TemplateFolder, name: str, context: Mapping[str, Any]) -> str:
    """Render one template of ``folder`` once; any failure is a TemplateError naming file and line."""
    where = folder.path / name
    try:
        with template_budget():  # compiling too: a template is code, and its source is long or deep
            template = folder.environment.get_template(name)
            return template.render(context)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"{where}:{error.lineno}: 模板语法错误：{error.message}") from None
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"{where}: 找不到模板 {error.name}") from None
    except jinja2.UndefinedError as error:
        line = _template_line(error, str(where))
        raise TemplateError(f"{where}:{line or '?'}: 未定义的变量或属性：{error.message}") from None
    except jinja2.exceptions.SecurityError as error:
        line = _template_line(error, str(where))
        raise TemplateError(f"{where}:{line or '?'}: 模板执行了不允许的操作：{error}") from None
    except TemplateError as error:  # ours: the budget, the sandbox's limits, a None written out
        line = _template_line(error, str(where))
        raise type(error)(f"{where}:{line or '?'}: {error.message}") from None
    except (TypeError, ValueError, AttributeError, LookupError, ArithmeticError) as error:
        line = _template_line(error, str(where))
        raise TemplateError(f"{where}:{line or '?'}: 模板出错：{type(error).__name__}: {error}") from None
    except RecursionError:
        raise TemplateError(f"{where}: 模板嵌套或递归过深") from None
    except SyntaxError as error:  # Python's own limits on the compiled code (at most 20 nested blocks)
        raise TemplateError(f"{where}: 模板嵌套过深，无法编译：{error.msg}") from None
    except MemoryError:
        raise TemplateError(f"{where}: 渲染模板时内存不足") from None
