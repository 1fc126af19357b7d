"""The project's dbt macros, called from Python: the tooling uses the definitions in `macros/`
instead of restating them (the raw-database rules for provisioning, the parsing and channel
rules for the benchmark's baselines).

Only macros that need no database work here: a macro sees `var()` (dbt_project.yml's vars
with overrides), `ref()` (a resolver the caller gives, if any), `modules.re`,
`exceptions.raise_compiler_error` (raises MacroError) and `return()`, as in dbt; `execute` is
true. A macro file is found by its name (one public macro per file, file named after it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2

from ecom_analytics import PROJECT_DIR

MACRO_DIR = PROJECT_DIR / "macros"


class MacroError(Exception):
    """A macro raised a compiler error; the message is the macro's."""


class _Returned(Exception):
    """A macro's `return()`: control flow, as dbt's own MacroReturn."""

    def __init__(self, value: Any):
        self.value = value


def _return(value: Any) -> None:
    raise _Returned(value)


class _MacroContext(jinja2.runtime.Context):
    """Ends a macro call at its `return()` with that value, as dbt does."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().call(__obj, *args, **kwargs)
        except _Returned as returned:
            if isinstance(__obj, jinja2.runtime.Macro):
                return returned.value
            raise


def _raise_compiler_error(message: str) -> None:
    raise MacroError(message)


@cache
def macro_source(name: str) -> str:
    """The text of the macro file `<name>.sql` under macros/."""
    found = sorted(MACRO_DIR.rglob(f"{name}.sql"))
    if len(found) != 1:
        raise LookupError(f"expected one macros/**/{name}.sql, found {len(found)}")
    return found[0].read_text()


def _environment(folder: Path | None = None) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder) if folder else None,
        extensions=["jinja2.ext.do"],
        undefined=jinja2.StrictUndefined,
    )
    environment.context_class = _MacroContext
    return environment


def _context(vars: Mapping[str, Any], ref: Callable[[str], str] | None) -> dict[str, Any]:
    def var(name: str, default: Any = None) -> Any:
        if name not in vars and default is None:
            raise MacroError(f"required var '{name}' not found")
        return vars.get(name, default)

    def no_ref(name: str) -> str:
        raise MacroError(f"ref('{name}') needs a dbt project built on a database")

    return {
        "var": var,
        "ref": ref or no_ref,
        "execute": True,
        "modules": SimpleNamespace(re=re),
        "exceptions": SimpleNamespace(raise_compiler_error=_raise_compiler_error),
        "return": _return,
    }


def render(
    path: Path,
    macros: tuple[str, ...],
    vars: Mapping[str, Any],
    ref: Callable[[str], str] | None = None,
) -> str:
    """The SQL file `path` (Jinja, as a dbt model) rendered with the named project macros;
    it can `{% include %}` files of its own folder."""
    environment = _environment(path.parent)
    context = _context(vars, ref)
    definitions = "".join(macro_source(name) for name in macros)
    module = environment.from_string(definitions).make_module(context)
    context.update({name: getattr(module, name) for name in macros})
    return environment.get_template(path.name).render(context).strip() + "\n"


@cache
def _compiled(definitions: str) -> jinja2.Template:
    """The macro definitions compiled once per process (a compile costs tens of ms; a caller
    such as the sample data's export loader calls a macro per file)."""
    return _environment().from_string(definitions)


def call(
    name: str,
    *args: Any,
    vars: Mapping[str, Any],
    needs: tuple[str, ...] = (),
    ref: Callable[[str], str] | None = None,
) -> Any:
    """The value the macro `name` returns (or its rendered text), with `needs` (the macros it
    calls) loaded beside it."""
    definitions = "".join(macro_source(macro) for macro in (*needs, name))
    module = _compiled(definitions).make_module(_context(vars, ref))
    try:
        return str(getattr(module, name)(*args))
    except _Returned as returned:
        return returned.value
