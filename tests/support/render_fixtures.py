"""Fixtures of the document and writer tests (helpers in tests/support/render_helpers.py).

The sample is loaded with the real spec loader and rendered once per session, DOCX and PDF; every content test
reads the same bytes, so the suite stays fast.
"""

from __future__ import annotations

from typing import Any

import pytest
from customer_service_model import Contract
from render_helpers import SAMPLE, pdf_page_bodies, sample_contract


@pytest.fixture
def contract() -> Contract:
    return sample_contract()


@pytest.fixture(scope="session")
def loaded_sample() -> Contract:
    from contractgen.document import load_contract

    contract, _warnings = load_contract(SAMPLE)
    return contract


@pytest.fixture(scope="session")
def sample_files(loaded_sample: Contract) -> dict[str, bytes]:
    """The sample's DOCX and PDF, rendered once for the whole session."""
    from contractgen.writers.rendering import render_documents

    return render_documents(loaded_sample)


@pytest.fixture(scope="session")
def sample_docx(sample_files: dict[str, bytes]) -> bytes:
    return sample_files["KF-2026-0001.docx"]


@pytest.fixture(scope="session")
def sample_pdf(sample_files: dict[str, bytes]) -> bytes:
    return sample_files["KF-2026-0001.pdf"]


@pytest.fixture(scope="session")
def sample_context(loaded_sample: Contract) -> dict[str, Any]:
    from contractgen.document.context import build_context
    from contractgen.writers.rendering import template_folder

    folder = template_folder(loaded_sample.type)
    return build_context(loaded_sample, folder.parts, folder.title)


@pytest.fixture(scope="session")
def sample_document(loaded_sample: Contract, sample_context: dict[str, Any]) -> Any:
    from contractgen.document.compose import compose
    from contractgen.writers.rendering import template_folder

    return compose(template_folder(loaded_sample.type), sample_context)


@pytest.fixture(scope="session")
def pdf_bodies(sample_pdf: bytes) -> list[str]:
    return pdf_page_bodies(sample_pdf)
