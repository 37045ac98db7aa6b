"""The form in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright, against a real
``contractgen serve`` process.

From an empty form the sample contract is typed in field by field; the preview shows it; a fee of ``12.345`` puts
an error beside the fee and fixing it takes the error away; the YAML downloaded loads as the same contract as the
sample; the PDF downloaded holds its text. 乙方 switched to a natural person changes the fields shown; choosing
instalments shows the rows, and rows are added. One section is filled with the keyboard alone. A screenshot of
every step is kept (under pytest's temporary folder, named in the failure) when a test fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from installed import missing
from playwright import sync_api as playwright
from playwright.sync_api import expect
from server_client import SAMPLE

from contractgen.document import load_contract
from contractgen.spec.loading import read_spec

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
if missing(str(CHROMIUM), "Debian's chromium runs the form"):
    pytest.skip("Debian's chromium is not installed (./dev test installs it)", allow_module_level=True)


def _leaves(data: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every (form field name, value as typed) of spec data; the kinds first, as a person would choose them."""
    if isinstance(data, dict):
        items = sorted(data.items(), key=lambda item: item[0] != "kind")
        for key, value in items:
            yield from _leaves(value, f"{prefix}{key}.")
    else:
        yield prefix[:-1], str(data)


SAMPLE_DATA = read_spec("customer-service.yaml", text=SAMPLE.read_bytes()).spec.data  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # The form of the first type (with several types and no --type, the page first asks which one).
    command = [sys.executable, "-m", "contractgen", "serve", "--type", "customer-service", "--no-browser"]
    command += ["--port", "0", "-j", "1"]
    process = subprocess.Popen(
        command, cwd=tmp_path_factory.mktemp("serve"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), url
    yield url
    process.terminate()
    assert process.wait(timeout=30) == 0


class Steps:
    """The page, and a screenshot of every step taken on it, written out only when the test fails."""

    def __init__(self, page: Any, folder: Path) -> None:
        self.page, self.folder, self.shots = page, folder, []
        self.console: list[str] = []  # what the page's script said: part of the evidence of a failure

    def step(self, name: str) -> None:
        self.shots.append((name, self.page.screenshot()))

    def keep(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        for n, (name, png) in enumerate(self.shots, 1):
            (self.folder / f"{n:02d}-{name}.png").write_bytes(png)
        status = self.page.locator("#status").inner_text() if self.page.locator("#status").count() else ""
        (self.folder / "console.txt").write_text("\n".join([*self.console, f"#status: {status}"]), encoding="utf-8")
        return self.folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def steps(browser: Any, server: str, request: pytest.FixtureRequest, tmp_path_factory: Any) -> Iterator[Steps]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    page.goto(server)
    page.wait_for_selector("#summary p")
    taken = Steps(page, tmp_path_factory.getbasetemp() / "browser-screenshots" / request.node.name)
    yield taken
    report = getattr(request.node, "rep_call", None)  # set by tests/server/conftest.py
    if report is None or report.failed:
        taken.step("at-the-end")
        print(f"\nscreenshots of every step: {taken.keep()}", file=sys.__stderr__)
    context.close()


def _field(page: Any, name: str) -> Any:
    return page.locator(f'[name="{name}"]')


def _fill(page: Any, name: str, value: str) -> None:
    control = _field(page, name)
    if control.evaluate("el => el.tagName") == "SELECT":
        control.select_option(value)
    elif control.get_attribute("readonly") is None:
        control.fill(value)


def _error(page: Any, name: str) -> Any:
    return page.locator(f'[id="e-{name}"]')


def _press(page: Any, label: str) -> None:
    # A real mouse click, where a person clicks: the bar with the buttons stays in view at the end of the long
    # form (a bar that scrolled away once made such clicks land on the preview frame instead).
    page.get_by_role("button", name=label).click()


def _type_the_sample(page: Any) -> None:
    for name, value in _leaves(SAMPLE_DATA):
        _fill(page, name, value)


def test_the_sample_typed_in_previews_downloads_and_renders(steps: Steps, tmp_path: Path) -> None:
    page = steps.page
    assert "逐项填写" in page.locator("#summary").inner_text()  # an empty form lists no mistakes yet
    steps.step("empty")
    _type_the_sample(page)
    expect(page.locator("#summary")).to_contain_text("没有发现问题", timeout=30000)
    preview = page.frame_locator("#preview")
    preview.get_by_text("上海明远科技有限公司").first.wait_for(timeout=30000)
    steps.step("typed-in")

    _fill(page, "fee.total", "12.345")
    _error(page, "fee.total").filter(has_text="两位小数").wait_for(timeout=15000)
    assert _field(page, "fee.total").get_attribute("aria-invalid") == "true"
    assert "服务费用" in page.locator("#summary").inner_text()
    steps.step("fee-error")
    _fill(page, "fee.total", "360000.00")
    expect(_error(page, "fee.total")).to_have_text("", timeout=15000)
    assert _field(page, "fee.total").get_attribute("aria-invalid") is None
    steps.step("fee-fixed")

    _fill(page, "contract_no", "KF-2026-0099")
    shown = preview.locator("body")  # its text as a reader sees it: the hidden running headers left out
    expect(shown).to_contain_text("KF-2026-0099", use_inner_text=True, timeout=30000)  # the preview follows
    _fill(page, "contract_no", "KF-2026-0001")
    expect(shown).to_contain_text("KF-2026-0001", use_inner_text=True, timeout=30000)
    expect(shown).not_to_contain_text("KF-2026-0099", use_inner_text=True)
    steps.step("preview-follows")

    _fill(page, "penalty.breach_rate", "15%")  # the preview scrolls to the clause the rate reaches, and marks it
    at = page.evaluate("window.scrollY")
    changed = preview.locator(".changed")
    expect(changed).to_contain_text("违约金为合同金额的百分之十五", timeout=30000)
    assert preview.locator("html").evaluate("el => el.scrollTop") > 1000  # 5.1 is pages down
    assert page.evaluate("window.scrollY") == at  # the form stays where the person is typing
    _fill(page, "penalty.breach_rate", "20%")
    expect(changed).to_contain_text("违约金为合同金额的百分之二十", timeout=30000)
    steps.step("preview-scrolled")

    with page.expect_download() as download:
        _press(page, "下载 YAML")
    spec = tmp_path / "downloaded.yaml"
    download.value.save_as(spec)
    downloaded, warnings = load_contract(spec)
    assert downloaded == load_contract(SAMPLE)[0]
    assert [w for w in warnings if w.severity == "error"] == []

    with page.expect_download(timeout=120000) as download:
        _press(page, "下载 PDF")
    pdf = tmp_path / "downloaded.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("客户服务管理合同", "上海明远科技有限公司", "杭州恒信客户服务外包有限公司", "人民币叁拾陆万元整"):
        assert expected in text
    steps.step("downloaded")


def test_a_person_and_instalments_change_the_fields(steps: Steps) -> None:
    page = steps.page
    _type_the_sample(page)
    assert _field(page, "party_b.credit_code").is_visible()
    assert not _field(page, "party_b.id_number").is_visible()
    _fill(page, "party_b.kind", "person")
    assert _field(page, "party_b.id_number").is_visible()
    assert not _field(page, "party_b.credit_code").is_visible()
    assert not _field(page, "party_b.legal_representative").is_visible()
    steps.step("person")

    rows = page.locator('[id="f-fee.instalments"]')
    assert not rows.is_visible()
    _fill(page, "fee.payment", "instalments")
    assert rows.is_visible()
    add = rows.get_by_role("button", name="添加一行")
    add.click()
    add.click()
    assert rows.locator(".row-list > .row").count() == 2
    assert _field(page, "fee.instalments.1.amount").count() == 1  # renumbered: the second row is [1]
    rows.locator(".row-list > .row").first.get_by_role("button", name="删除这一行").click()
    assert rows.locator(".row-list > .row").count() == 1
    assert _field(page, "fee.instalments.0.amount").count() == 1
    steps.step("instalments")


def test_a_spec_opened_in_the_page_fills_the_form(steps: Steps, tmp_path: Path) -> None:
    page = steps.page
    with page.expect_file_chooser() as chooser:
        _press(page, "打开 YAML")
    chooser.value.set_files(str(SAMPLE))
    expect(page.locator("#status")).to_have_text(f"已打开 {SAMPLE.name}", timeout=15000)
    for name, value in _leaves(SAMPLE_DATA):
        control = _field(page, name)
        if control.evaluate("el => el.tagName") != "SELECT" or value in control.evaluate(
            "el => Array.from(el.options, o => o.value)"
        ):
            assert control.input_value() == value, name
    expect(page.locator("#summary")).to_contain_text("没有发现问题", timeout=30000)
    page.frame_locator("#preview").get_by_text("上海明远科技有限公司").first.wait_for(timeout=30000)
    steps.step("opened")

    other = tmp_path / "lease.yaml"
    other.write_text("type: lease\n", encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        _press(page, "打开 YAML")
    chooser.value.set_files(str(other))
    expect(page.locator("#status")).to_contain_text("lease.yaml 是“lease”类型的规格", timeout=15000)
    assert _field(page, "contract_no").input_value() == "KF-2026-0001"  # the form as it was
    steps.step("refused")


def test_one_section_filled_with_the_keyboard_alone(steps: Steps) -> None:
    page = steps.page
    page.locator("body").focus()
    for _ in range(60):  # Tab through the page to the first field one types in
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "contract_no":
            break
    assert page.evaluate("document.activeElement.name") == "contract_no"
    typed = {}
    for value in ("KF-2026-0007", "3", "2"):
        name = page.evaluate("document.activeElement.name")
        page.keyboard.type(value)
        typed[name] = value
        page.keyboard.press("Tab")
        while page.evaluate("document.activeElement.tagName") not in ("INPUT", "SELECT"):
            page.keyboard.press("Tab")  # past help links and buttons, as a keyboard user does
    assert typed == {"contract_no": "KF-2026-0007", "validity_years": "3", "copies": "2"}
    for name, value in typed.items():
        assert _field(page, name).input_value() == value
    steps.step("keyboard")


@pytest.mark.skipif(os.environ.get("CONTRACTGEN_SCREENSHOTS") is None, reason="set CONTRACTGEN_SCREENSHOTS=DIR")
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_screenshots_to_look_at(browser: Any, server: str, size: tuple[int, int]) -> None:
    # Not a check: pictures for a person to look at (CONTRACTGEN_SCREENSHOTS=DIR pytest -k screenshots).
    folder = Path(os.environ["CONTRACTGEN_SCREENSHOTS"])
    folder.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(server)
    page.wait_for_selector("#summary p")
    page.screenshot(path=str(folder / f"empty-{size[0]}.png"))
    _type_the_sample(page)
    page.frame_locator("#preview").get_by_text("上海明远科技有限公司").first.wait_for(timeout=30000)
    page.screenshot(path=str(folder / f"filled-{size[0]}.png"))
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(folder / f"top-{size[0]}.png"))  # docs/images/serve.png is top-1280.png
    _fill(page, "fee.total", "12.345")
    _error(page, "fee.total").filter(has_text="两位小数").wait_for(timeout=15000)
    page.locator('[id="f-fee.total"]').scroll_into_view_if_needed()
    page.screenshot(path=str(folder / f"error-{size[0]}.png"))
    page.close()
    assert shutil.which("pdftotext")
