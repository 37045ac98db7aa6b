"""The signatures of one PDF of a bundle, checked (pyHanko) and described in contractgen's own words.

Each signature gives exactly one line: a problem (broken, invalid, not covering the whole file, not chaining
to the trust certificate, unreadable) or a note that it holds (``签名完好；未给出 --trust，证书链未校验``).
pyHanko alone still calls a signature fine after an incremental update or with bytes after ``%%EOF``, so
coverage of the entire file is required here; its difference analysis of later revisions is skipped, since
no later revision is allowed. Validation is offline: nothing is fetched.

pyHanko, its certificate validator and pypdf log freely — a failed path build is a warning with a traceback,
once per signature. :func:`quiet_libraries` silences them while verification runs, and restores each
logger as it was.

This module must not print, and must not decide which files must be signed: the caller says so.
"""

# Heavy modules (pyHanko) are imported inside the functions that use them, so that
# `import contractgen` and `contractgen --help` stay instant.

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = ["QUIET_LOGGERS", "SignatureFindings", "check_signatures", "error_text", "printable", "quiet_libraries"]

#: The libraries whose logging never reaches the user during verification (each logger and its children).
QUIET_LOGGERS = ("pyhanko", "pyhanko_certvalidator", "pypdf")
_NOT_TRUST_CHECKED = "未给出 --trust，证书链未校验"


@dataclass
class SignatureFindings:
    """What one PDF's signatures showed: how many, one problem or one note per signature."""

    count: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@contextmanager
def quiet_libraries() -> Iterator[None]:
    """Silence :data:`QUIET_LOGGERS` (and their warnings) inside the block; restore every logger afterwards.

    Raising a logger's level silences its children that have no level of their own — also those created
    while the block runs, when a module is first imported; a child with a level of its own is disabled.
    Logger levels are process-wide: another thread logging through these libraries meanwhile is silenced too.
    """
    saved: list[tuple[logging.Logger, int, bool]] = []
    prefixes = tuple(f"{name}." for name in QUIET_LOGGERS)
    children = [
        logger
        for name, logger in list(logging.root.manager.loggerDict.items())
        if isinstance(logger, logging.Logger) and name.startswith(prefixes) and logger.level != logging.NOTSET
    ]
    try:
        for logger in [logging.getLogger(name) for name in QUIET_LOGGERS] + children:
            saved.append((logger, logger.level, logger.disabled))
            if logger.name in QUIET_LOGGERS:
                logger.setLevel(logging.CRITICAL + 1)
            else:
                logger.disabled = True
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=r"(pyhanko|pyhanko_certvalidator|pypdf)(\.|$)")
            yield
    finally:
        for logger, level, disabled in reversed(saved):
            logger.setLevel(level)
            logger.disabled = disabled


def printable(text: object, limit: int = 160) -> str:
    """``text`` on one line, control characters escaped, at most ``limit`` characters: safe for a terminal."""
    value = str(text).strip()
    shown = "".join(char if char.isprintable() else repr(char)[1:-1] for char in value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def check_signatures(data: bytes, *, trust_cert: Any, if_unsigned: str | None) -> SignatureFindings:
    """Every signature of the PDF ``data``: intact, valid, covering the whole file, trusted when ``trust_cert``.

    ``if_unsigned``: the problem a PDF without any signature is (the manifest says it is signed, or a trust
    certificate was given), or ``None`` when it may be unsigned. pyHanko raises many kinds of exception on a
    damaged file or signature, so any of them is reported as that file's problem, never passed on.
    """
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    findings = SignatureFindings()
    try:
        signatures = list(PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures)
    except Exception as error:  # a hostile PDF can break pyHanko's parser in any way
        findings.problems.append(f"PDF 结构无法解析，签名无法检查（{error_text(error)}）")
        return findings
    findings.count = len(signatures)
    if if_unsigned is not None and not signatures:
        findings.problems.append(if_unsigned)
    for signature in signatures:
        label = _label(signature, several=len(signatures) > 1)
        try:
            issues = _issues(signature, trust_cert)
        except Exception as error:  # the same: a damaged signature dictionary or CMS blob
            findings.problems.append(f"签名{label}无法校验（{error_text(error)}）")
            continue
        if issues:
            findings.problems.append(f"签名{label}" + "；".join(issues))
        else:
            trust = "证书链可信（链接到所给的信任证书）" if trust_cert is not None else _NOT_TRUST_CHECKED
            findings.notes.append(f"签名{label}完好；{trust}")
    return findings


def _label(signature: Any, *, several: bool) -> str:
    """Empty for a file's only signature (the line names the file); `` PartyB `` when there are several."""
    if not several:
        return ""
    try:
        return f" {printable(signature.field_name, 40)} "
    except Exception:  # a field without a readable /T
        return " ? "


def _issues(signature: Any, trust_cert: Any) -> list[str]:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    roots = [trust_cert] if trust_cert is not None else []
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    status = validate_pdf_signature(signature, context, skip_diff=True)
    issues: list[str] = []
    if not status.intact:
        issues.append("已损坏（签名后文件内容被改动）")
    elif not status.valid:
        issues.append("无效（签名值与证书不符）")
    elif trust_cert is not None and not status.trusted:  # a broken signature's chain says nothing more
        issues.append("的证书不能链接到所给的信任证书")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        issues.append("未覆盖整个文件（签名后有增量更新，或 %%EOF 后有多余字节）")
    return issues


def error_text(error: BaseException) -> str:
    """An exception for people: its class and the first line of its message, safe for a terminal."""
    message = str(error).strip()
    text = printable(message.splitlines()[0], 120) if message else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
