"""Rendering within a time budget and size limits: a corpus of crafted templates, the budget's own guarantees,
and the house templates' text unchanged.

The corpus is ``tests/data/templates/zh/hostile/``: each template says on its first line what rendering it gives
(``{# expect: ok #}``, or an error class and a fragment of the message). Every one is rendered on the main
thread — where SIGALRM also enforces the deadline — and on another thread, where only the sandbox's own checks
do; a new template of a known kind of attack is one more file there.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment
from render_helpers import FIXTURE_TEMPLATES, ROOT, sample_contract

from contractgen.document import budget
from contractgen.document.budget import TemplateBudgetError, check_deadline, spend_output, template_budget
from contractgen.document.context import build_context
from contractgen.document.limits import MAX_VALUE, value_size
from contractgen.document.templates import TemplateFolder, _refuse_none, render_template
from contractgen.errors import EXIT_TEMPLATE, TemplateError

budget_default = budget.TIME_BUDGET
HOSTILE = FIXTURE_TEMPLATES / "zh" / "hostile"
CASES = sorted(HOSTILE.glob("*.xml.j2"))
SHORT = 0.5  # seconds: the budget the tests give a render that must be stopped
# A template that must render gets the product's own budget: on a loaded CI machine the biggest of them (40,000
# cells) has taken longer than SHORT, and what it proves — the guard changes no output — needs no short deadline.
SLACK = 4.0  # seconds a budget may overrun on a busy machine ("fails after a few seconds")


def expectation(path: Path) -> tuple[str, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("{# expect: "), f"{path.name}: no expectation on line 1"
    assert first.endswith(" #}"), f"{path.name}: no expectation on line 1"
    kind, _, fragment = first.removeprefix("{# expect: ").removesuffix(" #}").partition(" ")
    return kind, fragment


def plain_environment(folder: Path) -> SandboxedEnvironment:
    """Jinja's own sandbox with contractgen's settings: what the guarded one must agree with on normal templates."""
    return SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_refuse_none,
    )


def alarm_state() -> tuple[object, tuple[float, float]]:
    return signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL)


def run(action: Callable[[], object], on_thread: bool) -> tuple[object, float]:
    """What ``action`` returns or raises, and how long it took, on this thread or another one."""
    outcome: list[object] = []

    def target() -> None:
        try:
            outcome.append(action())
        except Exception as error:
            outcome.append(error)

    start = time.monotonic()
    if on_thread:
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
    else:
        target()
    return outcome[0], time.monotonic() - start


@pytest.fixture
def short_budget(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(budget, "TIME_BUDGET", SHORT)
    before = alarm_state()
    yield
    assert alarm_state() == before == (signal.SIG_DFL, (0.0, 0.0)), "a timer or handler was left behind"


def context_for(folder: TemplateFolder) -> dict[str, Any]:
    return build_context(sample_contract(), folder.parts, folder.title)


def spin() -> None:
    while True:  # no cooperative check at all: only SIGALRM can end this
        pass


def spin_checking() -> None:
    while True:
        check_deadline()


# --- the corpus -------------------------------------------------------------------------------------------


def test_every_crafted_template_says_what_it_gives() -> None:
    assert len(CASES) >= 40
    kinds = {expectation(path)[0] for path in CASES}
    assert kinds == {"ok", "TemplateError", "TemplateBudgetError"}


@pytest.mark.usefixtures("short_budget")
@pytest.mark.parametrize("on_thread", [False, True], ids=["main-thread", "other-thread"])
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.removesuffix(".xml.j2"))
def test_a_crafted_template_fails_fast_with_a_template_error_or_renders_as_jinja_does(
    path: Path, on_thread: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    kind, fragment = expectation(path)
    folder = TemplateFolder.open(HOSTILE)
    context = context_for(folder)
    allowed = SHORT
    if kind == "ok":
        monkeypatch.setattr(budget, "TIME_BUDGET", budget_default)
        allowed = budget_default
    outcome, elapsed = run(lambda: render_template(folder, path.name, context), on_thread)
    if kind == "ok":
        assert isinstance(outcome, str), outcome
        assert outcome == plain_environment(HOSTILE).get_template(path.name).render(context)
    else:
        assert type(outcome).__name__ == kind, outcome
        assert isinstance(outcome, TemplateError)
        assert outcome.exit_code == EXIT_TEMPLATE
        assert fragment in outcome.message
        assert outcome.message.startswith(f"{path}:"), "the message names the template"
    assert elapsed < allowed + SLACK


def test_the_house_templates_render_the_same_text_as_in_jinjas_own_sandbox() -> None:
    folder = TemplateFolder.open(ROOT / "templates" / "zh" / "customer-service")
    context = context_for(folder)
    plain = plain_environment(folder.path)
    for part in folder.parts:
        annex = {"annex": next((a for a in context["annexes"] if a.id == part.id), None)}
        part_context = {**context, **annex}
        assert render_template(folder, part.template, part_context) == plain.get_template(part.template).render(
            part_context
        ), part.template


def test_value_size_counts_what_a_value_prints_as_once_per_distinct_part() -> None:
    shared = ["甲" * 5, "乙"]
    assert [value_size(v) for v in ("abc", 3, shared, [shared, shared, 3], {"k": shared})] == [3, 1, 8, 20, 11]
    doubled: list[object] = [1]
    for _ in range(200):
        doubled = [doubled, doubled]
    assert value_size(doubled) > MAX_VALUE  # measured in 200 steps, not 2**200
    cycle: list[object] = []
    cycle.append(cycle)
    assert value_size(cycle) > MAX_VALUE


# --- the budget itself ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("short_budget")
def test_on_the_main_thread_the_alarm_stops_work_that_never_checks_the_deadline() -> None:
    start = time.monotonic()
    with pytest.raises(TemplateBudgetError, match=r"超过时间上限（0\.5 秒）"), template_budget():
        spin()
    assert time.monotonic() - start < SHORT + SLACK


@pytest.mark.usefixtures("short_budget")
def test_off_the_main_thread_the_deadline_is_checked_cooperatively() -> None:
    def work() -> None:
        with template_budget():
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no alarm for another thread
            spin_checking()

    outcome, elapsed = run(work, on_thread=True)
    assert isinstance(outcome, TemplateBudgetError)
    assert elapsed < SHORT + SLACK


@pytest.mark.usefixtures("short_budget")
def test_a_swallowed_alarm_comes_again() -> None:
    caught = 0
    with template_budget():
        end = time.monotonic() + SHORT + 1.0
        while time.monotonic() < end:
            try:
                sum(range(10_000))
            except TemplateBudgetError:  # a library's ``except Exception`` around its own work
                caught += 1
    assert caught >= 2


@pytest.mark.usefixtures("short_budget")
def test_nothing_is_left_installed_after_success_error_or_timeout() -> None:
    with template_budget():
        assert signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= SHORT
    assert alarm_state() == (signal.SIG_DFL, (0.0, 0.0))
    with pytest.raises(KeyError), template_budget():
        raise KeyError("x")
    assert alarm_state() == (signal.SIG_DFL, (0.0, 0.0))
    with pytest.raises(TemplateBudgetError), template_budget():
        time.sleep(SHORT * 3)
    assert alarm_state() == (signal.SIG_DFL, (0.0, 0.0))


@pytest.mark.usefixtures("short_budget")
def test_closing_right_at_the_deadline_never_leaves_the_alarm_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    # The alarm fires at every moment of the closing code, over many tries; whichever way a try ends, the
    # handler and timer are gone afterwards.
    monkeypatch.setattr(budget, "TIME_BUDGET", 0.002)
    outcomes = set()
    for n in range(300):
        try:
            with template_budget():
                end = time.perf_counter() + 0.0015 + n * 0.00001
                while time.perf_counter() < end:
                    pass
            outcomes.add("finished")
        except TemplateBudgetError:
            outcomes.add("timed out")
        assert alarm_state() == (signal.SIG_DFL, (0.0, 0.0)), n
    assert outcomes == {"finished", "timed out"}


@pytest.mark.usefixtures("short_budget")
def test_nested_budgets_share_the_outermost_deadline() -> None:
    with template_budget():
        outer = budget._budget.deadline
        time.sleep(0.05)
        with template_budget():
            assert budget._budget.deadline == outer
        assert budget._budget.deadline == outer
        assert signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL  # the inner one left the alarm alone
    assert budget._budget.deadline is None


def test_someone_elses_timer_and_handler_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget, "TIME_BUDGET", SHORT)

    def theirs(signum: int, frame: object) -> None:
        raise AssertionError("their alarm fired during the test")

    previous = signal.signal(signal.SIGALRM, theirs)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with pytest.raises(TemplateBudgetError), template_budget():
            spin_checking()  # their handler stays in place: only the sandbox's checks end this
        assert signal.getsignal(signal.SIGALRM) is theirs
        assert 25 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_output_is_counted_within_a_budget_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget, "MAX_OUTPUT", 100)
    spend_output(10_000)  # no budget open: nothing to count against
    with template_budget():
        spend_output(60)
        with pytest.raises(TemplateBudgetError, match="输出超过上限"):
            spend_output(60)
    with template_budget():
        spend_output(90)  # a new budget, a new allowance
