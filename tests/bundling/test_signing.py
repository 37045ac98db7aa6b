"""PAdES signing: fields per party on the signature page, valid signatures, reproducible bytes, bad keys,
and certificates that are not valid at the signing time."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bundle_fixtures import small_source
from pki import EXPIRED, NOT_YET_VALID, Pki, make_pki
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from contractgen.bundling import assemble
from contractgen.bundling.manifest import sha256_bytes
from contractgen.bundling.signing import SigningKeyError, find_signature_page, load_signing_key, sign_pdf
from contractgen.errors import EXIT_RENDER

WHEN = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


def test_signature_page_is_the_one_with_the_seal_lines(small_pdf: bytes) -> None:
    assert find_signature_page(small_pdf) == 1


def test_signed_pdfs_validate_against_the_test_ca(signed_files: dict[str, bytes], pki: Pki) -> None:
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(pki.ca_pem))])
    for name in ("contract.pdf", "copy-1.pdf", "copy-2.pdf"):
        reader = PdfFileReader(io.BytesIO(signed_files[name]))
        fields = {field["/T"]: field for field in (f.get_object() for f in reader.root["/AcroForm"]["/Fields"])}
        assert set(fields) == {"PartyA", "PartyB"}
        signature_page = reader.root["/Pages"]["/Kids"][1].get_object()
        assert all(field["/P"].get_object() == signature_page for field in fields.values())
        (signature,) = reader.embedded_signatures
        assert signature.field_name == "PartyA"
        status = validate_pdf_signature(signature, context)
        assert status.intact, name
        assert status.valid, name
        assert status.trusted, name
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        assert signature.sig_object["/M"] == "D:20261124000000Z"  # the epoch, not the clock


def test_manifest_records_unsigned_and_signed_hashes(signed_files: dict[str, bytes]) -> None:
    manifest = json.loads(signed_files["manifest.json"])
    entry = manifest["files"]["copy-1.pdf"]
    assert entry["signed"] is True
    assert entry["sha256"] == sha256_bytes(signed_files["copy-1.pdf"])
    assert entry["unsigned_sha256"] != entry["sha256"]
    # The signed file is the unsigned file plus an incremental update: its start is the unsigned file.
    assert manifest["files"]["contract.pdf"]["unsigned_sha256"] == manifest["base"]["sha256"]
    assert manifest["signing"]["field"] == "PartyA"
    assert manifest["signing"]["mechanism"] == "sha256_rsa"
    assert "上海明远科技有限公司" in manifest["signing"]["subject"]
    assert manifest["signing"]["time"] == "2026-11-24T00:00:00+00:00"


_SIGN_IN_A_SUBPROCESS = """
import sys, datetime as dt
from pathlib import Path
from contractgen.bundling.signing import load_signing_key, sign_pdf
key = load_signing_key(Path(sys.argv[1]), sys.argv[2])
pdf = Path(sys.argv[3]).read_bytes()
when = dt.datetime(2026, 11, 24, 0, 0, tzinfo=dt.UTC)
sys.stdout.buffer.write(sign_pdf(pdf, key, page=1, when=when))
"""


@pytest.fixture(scope="module")
def ec_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("ec-pki"), signer_key="ec")


@pytest.fixture(params=["rsa", "ec"])
def any_pki(request: pytest.FixtureRequest, pki: Pki, ec_pki: Pki) -> Pki:
    return pki if request.param == "rsa" else ec_pki


def test_an_ec_key_signs_valid_deterministic_ecdsa(small_pdf: bytes, ec_pki: Pki) -> None:
    key = load_signing_key(ec_pki.key_p12, ec_pki.password)
    assert key.describe()["mechanism"] == "sha256_ecdsa"
    first, second = (sign_pdf(small_pdf, key, page=1, when=WHEN) for _ in range(2))
    assert first == second  # a random nonce would make every signature differ
    (signature,) = PdfFileReader(io.BytesIO(first)).embedded_signatures
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(ec_pki.ca_pem))])
    status = validate_pdf_signature(signature, context)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_signatures_are_byte_reproducible_across_processes(small_pdf: bytes, any_pki: Pki, tmp_path: Path) -> None:
    pki = any_pki
    (tmp_path / "in.pdf").write_bytes(small_pdf)
    outputs = []
    for tz, lang in (("Asia/Tokyo", "C.UTF-8"), ("America/Los_Angeles", "zh_CN.UTF-8")):
        env = {**os.environ, "TZ": tz, "LANG": lang, "LC_ALL": lang}
        outputs.append(
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    _SIGN_IN_A_SUBPROCESS,
                    str(pki.key_p12),
                    pki.password,
                    str(tmp_path / "in.pdf"),
                ],
                capture_output=True,
                check=True,
                env=env,
            ).stdout
        )
    assert outputs[0] == outputs[1]
    assert outputs[0].startswith(small_pdf)  # an incremental update: the unsigned bytes come first


def test_sign_as_party_b(small_pdf: bytes, pki: Pki) -> None:
    key = load_signing_key(pki.key_p12, pki.password, party="b")
    (signature,) = PdfFileReader(io.BytesIO(sign_pdf(small_pdf, key, page=1, when=WHEN))).embedded_signatures
    assert signature.field_name == "PartyB"


# A wrong password, a missing file and every other unusable key: tests/bundling/test_signing_key.py.


def test_unknown_party_is_refused(pki: Pki) -> None:
    with pytest.raises(SigningKeyError, match="未知的签署方"):
        load_signing_key(pki.key_p12, pki.password, party="c")


# --- a certificate must be valid at the signing time (the bundle's epoch) ----------------------------------------


@pytest.fixture(scope="module", params=["expired", "not-yet-valid"])
def invalid_pki(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Pki]:
    valid = EXPIRED if request.param == "expired" else NOT_YET_VALID
    folder = tmp_path_factory.mktemp(request.param)
    return request.param, make_pki(folder, signer_key="ec", signer_valid=valid)


def test_a_certificate_not_valid_at_the_signing_time_is_refused(small_pdf: bytes, invalid_pki: tuple[str, Pki]) -> None:
    state, pki = invalid_pki
    key = load_signing_key(pki.key_p12, pki.password)  # the key itself reads fine: only the time is wrong
    with pytest.raises(SigningKeyError) as caught:
        sign_pdf(small_pdf, key, page=1, when=WHEN)
    assert caught.value.exit_code == EXIT_RENDER
    message = caught.value.message
    assert ("已过期" if state == "expired" else "尚未生效") in message
    start, end = EXPIRED if state == "expired" else NOT_YET_VALID
    assert f"证书有效期 {start:%Y-%m-%d} 00:00:00 UTC 至 {end:%Y-%m-%d} 00:00:00 UTC" in message
    assert "签署时间 2026-11-24 00:00:00 UTC" in message
    assert "上海明远科技有限公司" in message


def test_a_bundle_is_not_signed_with_an_invalid_certificate(small_pdf: bytes, invalid_pki: tuple[str, Pki]) -> None:
    _, pki = invalid_pki
    key = load_signing_key(pki.key_p12, pki.password)
    with pytest.raises(SigningKeyError, match="签署时间"):
        assemble(small_source(small_pdf), key=key)


@pytest.mark.parametrize("edge", ["not_before", "not_after"])
def test_both_ends_of_the_validity_period_are_inside_it(small_pdf: bytes, tmp_path: Path, edge: str) -> None:
    far_past, far_future = datetime(2000, 1, 1, tzinfo=UTC), datetime(2099, 1, 1, tzinfo=UTC)
    valid = (WHEN, far_future) if edge == "not_before" else (far_past, WHEN)
    pki = make_pki(tmp_path, signer_key="ec", signer_valid=valid)
    key = load_signing_key(pki.key_p12, pki.password)
    (signature,) = PdfFileReader(io.BytesIO(sign_pdf(small_pdf, key, page=1, when=WHEN))).embedded_signatures
    assert signature.field_name == "PartyA"


def test_a_naive_signing_time_is_read_as_utc(small_pdf: bytes, invalid_pki: tuple[str, Pki]) -> None:
    _, pki = invalid_pki
    key = load_signing_key(pki.key_p12, pki.password)
    with pytest.raises(SigningKeyError, match="签署时间 2026-11-24 00:00:00 UTC"):
        sign_pdf(small_pdf, key, page=1, when=WHEN.replace(tzinfo=None))


@pytest.mark.slow
def test_bundle_with_an_invalid_certificate_exits_5_and_writes_nothing(
    tmp_path: Path, invalid_pki: tuple[str, Pki]
) -> None:
    from render_helpers import SAMPLE

    state, pki = invalid_pki
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    command = ["bundle", str(SAMPLE), "-o", str(out), "--sign-key", str(pki.key_p12), "--sign-password-env", "PW"]
    result = subprocess.run(
        [sys.executable, "-m", "contractgen", *command],
        env={**env, "PW": pki.password, "CI": "true"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 5, result.stderr
    assert ("已过期" if state == "expired" else "尚未生效") in result.stderr
    assert "签署时间 2026-11-24 00:00:00 UTC" in result.stderr
    assert "Traceback" not in result.stderr
    assert not any(out.glob("*/manifest.json"))
