"""The sandboxed Jinja environment every template runs in, with the time and size limits a sandbox lacks.

Jinja's :class:`~jinja2.sandbox.SandboxedEnvironment` keeps templates away from Python's internals, but not from
endless work or memory. :class:`GuardedSandbox` adds, for every template it compiles:

- a time budget (:mod:`contractgen.document.budget`): each render runs within one, and the compiled code checks
  its deadline on every loop step — each ``{% for %}`` iterates through a checking wrapper, so a loop that calls
  nothing is checked too — and on every call and filter, on any thread. (Not on attributes and items: without
  a loop step or a call between them, a template can only read as many as its source names.)
- an output budget: every output, into the result or into a macro's or a ``{% set %}`` block's buffer, counts;
- size limits (:mod:`contractgen.document.limits`): ``*``, ``**``, ``%`` and ``+`` are intercepted, ``~``,
  list, tuple and dict literals checked, filters wrapped, calls checked before and after — so no value a
  template computes exceeds :data:`~contractgen.document.limits.MAX_VALUE`, and the big ones are refused before
  they are allocated. Intercepting the operators also turns off their constant folding, so
  ``{{ "x" * 10**9 }}`` is refused when rendering, inside the budget, not while compiling.

The instrumentation adds calls to the compiled code, never output: a template renders to the same text.

This module must not know about files, contract types or Word; what it raises is a TemplateError (exit 4),
and the caller names the template.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sized
from typing import Any

from jinja2 import Template, nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from contractgen.document.budget import budget_open, check_deadline, output_left, spend_output, template_budget
from contractgen.document.limits import (
    check_binop,
    check_filter,
    check_method,
    check_value,
    value_size,
)

__all__ = ["GuardedSandbox"]

_CHECK_EVERY = 64  # loop steps between deadline checks at most (a check costs about as much as a step)
_UNCOUNTED = 64 * 1024  # characters of a loop body's text written, at most, before they count as output


class _Steps:
    """A loop's iterable, checking the deadline as it goes and counting the text its body writes on each step
    (``static``: what the body's source holds); its length is the iterable's, for ``loop.length``."""

    __slots__ = ("_items", "_iterable", "_static")

    def __init__(self, iterable: Iterable[Any], static: int = 0) -> None:
        self._iterable = iterable
        self._items = iter(iterable)  # now, so that a bad iterable fails where Jinja's own loop would
        self._static = static

    def __len__(self) -> int:
        if isinstance(self._iterable, Sized):
            return len(self._iterable)
        raise TypeError("no len()")  # LoopContext then counts the items itself

    def __iter__(self) -> Iterator[Any]:
        # Checked every few steps, counting the text of the steps since the last check: often for a short body,
        # on every step for a long one, so that at most _UNCOUNTED characters are written before they count.
        static = self._static
        every = max(1, min(_CHECK_EVERY, _UNCOUNTED // max(static, 1)))
        uncounted = 0
        for step, item in enumerate(self._items):
            if not step % every:
                check_deadline()
                spend_output(static * uncounted)
                uncounted = 0
            uncounted += 1
            yield item
        spend_output(static * uncounted)


def _counting(finalize: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    """The environment's finalize, counting every value a template outputs (into its result or a buffer)."""

    def counted(value: Any) -> Any:
        spend_output(len(value) if isinstance(value, str) else value_size(value, output_left()))
        return value if finalize is None else finalize(value)

    return counted


def _literal(value: Any) -> Any:
    return check_value(value, "字面量")


def _join_operands(operands: tuple[Any, ...]) -> tuple[Any, ...]:
    check_value(operands, "运算 ~")
    return operands


_HOOKS = frozenset({"guarded_steps", "guarded_literal", "guarded_join"})  # GuardedSandbox's, called directly


def _hook(name: str, *args: Any, lineno: int) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(name, lineno=lineno), list(args), [], None, None, lineno=lineno)


def _static_size(body: list[nodes.Node]) -> int:
    """At most how much text a loop body writes without evaluating anything: its text and its constants (Jinja
    writes constant expressions as text when compiling; filters, which could make them bigger, are not folded)."""
    size = 0
    for node in body:
        for child in (node, *node.find_all((nodes.TemplateData, nodes.Const))):
            if isinstance(child, nodes.TemplateData):
                size += len(child.data)
            elif isinstance(child, nodes.Const) and isinstance(child.value, str):
                size += len(child.value)
    return size


class _Instrument(NodeTransformer):
    """Rewrites a parsed template so that its loops and literals go through the checks above."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        static = nodes.Const(_static_size(node.body), lineno=node.lineno)
        self.generic_visit(node)
        node.iter = _hook("guarded_steps", node.iter, static, lineno=node.lineno)
        return node

    def _literal(self, node: nodes.Expr) -> nodes.Node:
        self.generic_visit(node)
        return _hook("guarded_literal", node, lineno=node.lineno)

    visit_List = visit_Dict = _literal

    def visit_Tuple(self, node: nodes.Tuple) -> nodes.Node:
        if node.ctx != "load":  # an assignment target ({% for a, b in … %}) stays as it is
            return self.generic_visit(node)
        return self._literal(node)


class _CodeGenerator(CodeGenerator):
    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        # Our hooks are called directly, not through the sandbox's call(): they are ours, and on every output.
        if isinstance(node.node, nodes.EnvironmentAttribute) and node.node.name in _HOOKS:
            self.write(f"environment.{node.node.name}(")
            for n, argument in enumerate(node.args):
                self.write(", " if n else "")
                self.visit(argument, frame)
            self.write(")")
            return
        super().visit_Call(node, frame, forward_caller=forward_caller)

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # Jinja's own visit_Concat (markup_join or str_join, chosen as Jinja chooses) with the operands measured
        # before they are joined: joining converts each to text, and a nested list prints far bigger than it is.
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"{join}(environment.guarded_join((")
        for operand in node.nodes:
            self.visit(operand, frame)
            self.write(", ")
        self.write(")))")


class _BudgetedTemplate(Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        # docxtpl and other callers render through this method: each render is budgeted even if the caller
        # opened no budget (inside an open one, it shares that one).
        if budget_open():
            return super().render(*args, **kwargs)
        with template_budget():
            return super().render(*args, **kwargs)


_PASSED: dict[str | None, Callable[[Context], tuple[Any, ...]]] = {
    None: lambda context: (),
    "context": lambda context: (context,),
    "eval_context": lambda context: (context.eval_ctx,),
    "environment": lambda context: (context.environment,),
}


def _guarded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    # The wrapper takes the context, and gives the filter what it asked for: a filter that takes the context is
    # never folded at compile time, so every filter runs (and is checked) within a render's budget.
    passed = _PASSED[getattr(getattr(function, "jinja_pass_arg", None), "name", None)]

    @pass_context
    @functools.wraps(function)
    def guarded(context: Context, *args: Any, **kwargs: Any) -> Any:
        check_deadline()
        values = check_filter(name, args, kwargs)
        return check_value(function(*passed(context), *values, **kwargs), f"过滤器 {name}")

    return guarded


class GuardedSandbox(SandboxedEnvironment):
    """A SandboxedEnvironment whose templates run within a time budget and size limits (see the module)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _CodeGenerator
    template_class = _BudgetedTemplate

    guarded_steps = staticmethod(_Steps)
    guarded_literal = staticmethod(_literal)
    guarded_join = staticmethod(_join_operands)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.finalize = _counting(self.finalize)
        self.filters = {name: _guarded_filter(name, f) for name, f in self.filters.items()}

    def _generate(
        self, source: nodes.Template, name: str | None, filename: str | None, defer_init: bool = False
    ) -> str:
        # Jinja's documented hook between parsing and code generation: instrument the tree, then compile it.
        return super()._generate(_Instrument().visit(source), name, filename, defer_init)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        check_deadline()
        check_binop(operator, left, right)
        return check_value(super().call_binop(context, operator, left, right), f"运算 {operator}")

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # Jinja's own spelling: the double underscores keep the names free for the callee's keyword arguments.
        check_deadline()
        args = check_method(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        receiver = getattr(__obj, "__self__", None)
        if isinstance(receiver, list | dict | set):  # list.append, dict.update …: the receiver grew
            check_value(receiver, f"方法 {getattr(__obj, '__name__', '')}")
        return check_value(result, "调用的结果")
