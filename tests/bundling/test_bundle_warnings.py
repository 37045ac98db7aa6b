"""bundle and a spec's warnings: each bundled spec carries them (the command shows them as render does), and
with strict a warning nobody has acknowledged fails that spec, as render --strict does."""

from __future__ import annotations

from pathlib import Path

from contractgen.bundling import bundle

SPECS = Path(__file__).resolve().parents[1] / "data" / "specs" / "valid"
WARNED = SPECS / "warning-penalty-ceiling.yaml"
ACKNOWLEDGED = SPECS / "acknowledged-warning-strict.yaml"


def test_a_bundled_spec_carries_its_warnings(tmp_path: Path) -> None:
    [outcome] = bundle([WARNED], tmp_path).outcomes
    assert outcome.ok
    assert outcome.value is not None
    assert [w.rule for w in outcome.value.warnings] == ["legal.penalty-ceiling"]
    assert outcome.value.path == tmp_path / "KF-2026-0100"


def test_strict_fails_an_unacknowledged_warning_and_passes_an_acknowledged_one(tmp_path: Path) -> None:
    report = bundle([WARNED, ACKNOWLEDGED], tmp_path, strict=True)
    failed, passed = sorted(report.outcomes, key=lambda o: o.ok)
    assert (failed.spec.name, failed.code) == (WARNED.name, 3)
    assert [d.rule for d in failed.diagnostics] == ["legal.penalty-ceiling"]
    assert passed.ok
    assert passed.value is not None
    assert [w.acknowledged for w in passed.value.warnings] == ["经法务部 2026-11-20 审核，违约金比例系双方协商确定"]
    assert report.exit_code == 3
