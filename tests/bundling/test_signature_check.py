"""Signature checking: library logging silenced and restored, text made safe for a terminal, one line per signature."""

from __future__ import annotations

import logging

import pytest

from contractgen.bundling.signature_check import QUIET_LOGGERS, check_signatures, printable, quiet_libraries


def test_quiet_libraries_silences_every_library_logger_and_restores_it(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    parent = logging.getLogger("pyhanko")
    parent.setLevel(logging.INFO)
    child = logging.getLogger("pyhanko.sign.validation.generic_cms")
    own = logging.getLogger("pypdf._reader")
    own.setLevel(logging.DEBUG)  # a child with a level of its own is not silenced by its parent's level
    try:
        with quiet_libraries():
            child.warning("Failed to build path for Common Name")
            own.error("invalid pdf header")
            logging.getLogger("pyhanko_certvalidator.registry").critical("no issuer")
            logging.getLogger("pyhanko.new.module").warning("created inside the block")
            logging.getLogger("contractgen.other").warning("ours")
        assert [record.name for record in caplog.records] == ["contractgen.other"]
        assert parent.level == logging.INFO
        assert own.level == logging.DEBUG
        assert not own.disabled
        assert all(logging.getLogger(name).level != logging.CRITICAL + 1 for name in QUIET_LOGGERS)
        child.warning("after the block")
        assert caplog.records[-1].getMessage() == "after the block"
    finally:
        parent.setLevel(logging.NOTSET)
        own.setLevel(logging.NOTSET)


def test_quiet_libraries_restores_even_when_the_block_raises() -> None:
    logger = logging.getLogger("pypdf")
    before = (logger.level, logger.disabled)
    with pytest.raises(RuntimeError), quiet_libraries():
        raise RuntimeError("boom")
    assert (logger.level, logger.disabled) == before


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("PartyA", "PartyA"),
        ("a\nb", "a\\nb"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("甲方签名", "甲方签名"),
        ("x" * 300, "x" * 159 + "…"),
    ],
)
def test_printable_escapes_what_a_terminal_would_obey(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_an_unsigned_pdf_is_a_problem_only_when_it_must_be_signed(small_pdf: bytes) -> None:
    assert check_signatures(small_pdf, trust_cert=None, if_unsigned=None).problems == []
    found = check_signatures(small_pdf, trust_cert=None, if_unsigned="须有签名")
    assert (found.count, found.problems, found.notes) == (0, ["须有签名"], [])


def test_a_signature_that_holds_is_one_note(signed_files: dict[str, bytes]) -> None:
    found = check_signatures(signed_files["copy-1.pdf"], trust_cert=None, if_unsigned="须有签名")
    assert (found.count, found.problems, found.notes) == (1, [], ["签名完好；未给出 --trust，证书链未校验"])


def test_garbage_is_one_problem_not_an_exception() -> None:
    found = check_signatures(b"%PDF-1.7\n" + b"\xff" * 100, trust_cert=None, if_unsigned=None)
    assert found.count == 0
    assert len(found.problems) == 1
    assert found.problems[0].startswith("PDF 结构无法解析，签名无法检查（")
