"""A folder of specs for the batch tests: copies of the sample under their own contract numbers, some invalid,
some in a subfolder (so that keys have folders in them)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "customer-service.yaml"
VALID, INVALID = 8, 12


def spec_text(contract_no: str, *, invalid: bool = False) -> str:
    text = SAMPLE.read_text(encoding="utf-8").replace("contract_no: KF-2026-0001", f"contract_no: {contract_no}")
    return text.replace("total: 360000.00", "total: 12.345") if invalid else text


def make_folder(folder: Path, valid: int = VALID, invalid: int = INVALID) -> list[Path]:
    """``valid`` specs that render and ``invalid`` ones (a fee of three decimals), interleaved; every third one
    in ``sub/``. Returns them in the order the folder lists them."""
    made = []
    for n in range(valid + invalid):
        bad = n % (valid + invalid) >= valid
        name = f"{'sub/' if n % 3 == 2 else ''}{'bad' if bad else 'ok'}-{n:02d}.yaml"
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(spec_text(f"KF-BATCH-{n:04d}", invalid=bad), encoding="utf-8")
        made.append(path)
    return sorted(made)
