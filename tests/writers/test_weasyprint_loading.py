"""Loading WeasyPrint: the first import starts no subprocess and loads the same C libraries as a plain import."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from render_helpers import ROOT

LIBRARIES = "sorted({line.split()[-1] for line in open('/proc/self/maps') if '.so' in line and '/lib/' in line})"


def run(code: str, *prefix: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True, text=True, check=True)


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_the_import_starts_no_subprocess() -> None:
    code = "from contractgen.writers.weasyprint_loading import import_weasyprint; import_weasyprint()"
    traced = run(code, "strace", "-f", "-e", "trace=execve", "-o", "/dev/stderr")
    plain = run("import weasyprint", "strace", "-f", "-e", "trace=execve", "-o", "/dev/stderr")
    assert traced.stderr.count("execve(") == 1  # the interpreter itself
    assert plain.stderr.count("execve(") > 50  # what it saves: ldconfig, gcc and ld for every name tried


def test_the_same_libraries_are_loaded() -> None:
    plain = run(f"import weasyprint; print({LIBRARIES})").stdout
    quick = run(
        f"from contractgen.writers.weasyprint_loading import import_weasyprint; import_weasyprint(); print({LIBRARIES})"
    ).stdout
    names = ("gobject", "glib", "pango", "harfbuzz", "fontconfig", "freetype", "fribidi")

    def native(listing: str) -> set[str]:
        return {path for path in eval(listing) if any(name in path for name in names)}

    assert native(quick) == native(plain)
    assert any("libharfbuzz-subset" in path for path in native(quick))


def test_find_library_is_itself_again_afterwards() -> None:
    import ctypes.util

    from contractgen.writers.weasyprint_loading import import_weasyprint

    before = ctypes.util.find_library
    assert import_weasyprint() is sys.modules["weasyprint"]
    assert ctypes.util.find_library is before


def after_a_pdf(code: str) -> list[str]:
    """The lines ``code`` prints in a fresh interpreter that has first rendered a sample's PDF."""
    prelude = (
        "import sys\n"
        "from contractgen.document import load_contract\n"
        "from contractgen.writers.rendering import render_documents\n"
        "contract, _ = load_contract('samples/customer-service-person.yaml')\n"
        "render_documents(contract, formats=['pdf'])\n"
    )
    done = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, check=True, cwd=ROOT)
    return done.stdout.splitlines()


def test_fonttools_subsetter_is_run_only_when_used() -> None:
    lines = after_a_pdf(
        "print(type(sys.modules['fontTools.subset']).__name__)\n"
        "from fontTools import subset\n"
        "print(subset.Subsetter.__name__, type(sys.modules['fontTools.subset']).__name__)\n"
    )
    assert lines == ["_LazyModule", "Subsetter module"]


def test_the_variable_font_instancer_is_imported_only_when_called() -> None:
    lines = after_a_pdf(
        "print('fontTools.varLib' in sys.modules, 'fontTools.varLib.instancer' in sys.modules)\n"
        "from weasyprint.pdf import fonts\n"
        "from fontTools.varLib import instancer\n"  # the real module, not the stand-in
        "print(hasattr(instancer, 'OverlapMode'))\n"
        "instancer.instantiateVariableFont = lambda *args, **kwargs: (args, sorted(kwargs))\n"
        "print(fonts.instantiateVariableFont('font', {'wght': 400}, inplace=True))\n"
    )
    assert lines == ["False False", "True", "(('font', {'wght': 400}), ['inplace'])"]


@pytest.mark.parametrize("collecting", [True, False])
def test_the_first_import_collects_nothing_and_leaves_the_collector_as_it_was(collecting: bool) -> None:
    # With the collector on, the 130 collections of a plain import shrink to the one young-generation pass that
    # follows as soon as it is back on.
    code = (
        "import gc\n"
        f"{'' if collecting else 'gc.disable()'}\n"
        "from contractgen.writers.weasyprint_loading import import_weasyprint\n"
        "passes = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and passes.append(info['generation']))\n"
        "import_weasyprint()\n"
        "gc.callbacks.clear()\n"
        "print(passes in ([], [0]), gc.isenabled())\n"
    )
    assert run(code).stdout.split() == ["True", str(collecting)]


def test_weasyprints_own_stylesheets_are_parsed_on_first_use_with_the_same_counter_styles() -> None:
    code = (
        "import sys\n"
        "from contractgen.writers.weasyprint_loading import import_weasyprint\n"
        "weasyprint = import_weasyprint()\n"
        "from weasyprint import CSS, html\n"
        "from weasyprint.css.counters import CounterStyle\n"
        "sheets = (html.UA_STYLESHEET, html.UA_FORM_STYLESHEET, html.PH_STYLESHEET)\n"
        "print([hasattr(sheet, '_contractgen_deferred') for sheet in sheets])\n"
        "print(html.CSS is CSS is weasyprint.CSS, all(isinstance(sheet, CSS) for sheet in sheets))\n"
        "print(any(type(finder).__module__.startswith('contractgen') for finder in sys.meta_path))\n"
        "whole = CounterStyle()\n"
        "CSS(string=html.UA, counter_style=whole)\n"
        "print(len(whole) > 40, whole == html.UA_COUNTER_STYLE)\n"
        "plain = CSS(string=html.UA)\n"
        "print(len(html.UA_STYLESHEET.page_rules) == len(plain.page_rules) > 0, sheets[0].matcher is not None)\n"
        "print('_contractgen_deferred' in vars(html.UA_STYLESHEET), whole == html.UA_COUNTER_STYLE)\n"
    )
    lines = ["[True, True, True]", "True True", "False", "True True", "True True", "False True"]
    assert run(code).stdout.splitlines() == lines


def test_a_plain_weasyprint_render_in_the_same_process_still_uses_its_stylesheets() -> None:
    # The user-agent stylesheet numbers an <ol> and hides <head>; the presentational hints read align="center".
    code = (
        "from contractgen.writers.weasyprint_loading import import_weasyprint\n"
        "weasyprint = import_weasyprint()\n"
        "markup = '<head><title>hidden</title></head><ol><li>一</li><li>二</li></ol><p align=center>x</p>'\n"
        "pdf = weasyprint.HTML(string=markup).write_pdf(presentational_hints=True)\n"
        "import io, pypdf\n"
        "print(' '.join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split()))\n"
    )
    plain = code.replace(
        "from contractgen.writers.weasyprint_loading import import_weasyprint\nweasyprint = import_weasyprint()\n",
        "import weasyprint\n",
    )
    ours = run(code).stdout
    assert ours == run(plain).stdout
    assert ours.split() == ["一", "二", "x", "1.", "2."]  # the markers come last in pypdf's text; no "hidden"
