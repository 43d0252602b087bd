"""Replace `{{answer.KEY}}` tokens in page markdown with the package's measured answers.

The values come from `neuron_descent.experiments.question_two()`, so the
chapter's printed answer is always the number the package computes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from numbers import Real
from pathlib import Path

from package_modules import import_fresh

TOKEN_PATTERN = re.compile(r"\{\{\s*answer\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class AnswerTokenError(ValueError):
    """A token names a missing key, or its value cannot be written as text."""


def has_tokens(markdown: str) -> bool:
    """Return whether the markdown contains at least one answer token."""
    return TOKEN_PATTERN.search(markdown) is not None


def format_value(value: object) -> str:
    """Format one answer value as page text.

    Integers and strings are written as they are. Floats use the shortest text
    that reads back as the same float, with the exponent's leading zeros
    dropped (1e-06 becomes 1e-6). Lists and tuples become "(a, b)".
    """
    if isinstance(value, bool):
        raise AnswerTokenError(f"The value {value!r} is a bool; write it into the page by hand.")
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Real):
        number = float(value)
        if not math.isfinite(number):
            raise AnswerTokenError(f"The value {number!r} is not finite.")
        return re.sub(r"e([+-])0*(\d)", r"e\1\2", repr(number)).replace("e+", "e")
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(format_value(item) for item in value) + ")"
    raise AnswerTokenError(
        f"The value {value!r} has type {type(value).__name__}; "
        "only numbers, strings and lists of them can be written into a page."
    )


def replace_tokens(markdown: str, values: Mapping[str, object], page_name: str) -> str:
    """Return the markdown with each `{{answer.KEY}}` replaced by the formatted values[KEY].

    Raises AnswerTokenError naming the page and the key when a key is missing
    or its value cannot be formatted.
    """

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            known = ", ".join(sorted(values)) or "none"
            raise AnswerTokenError(
                f"{page_name}: the token {match.group(0)} names no key of question_two(); "
                f"the keys are: {known}."
            )
        try:
            return format_value(values[key])
        except AnswerTokenError as error:
            raise AnswerTokenError(f"{page_name}: the token {match.group(0)} cannot be written: {error}") from None

    return TOKEN_PATTERN.sub(substitute, markdown)


def load_answer_function(py_src: Path) -> Callable[[], Mapping[str, object]]:
    """Import neuron_descent from py_src afresh and return experiments.question_two.

    See package_modules.import_fresh for how the import stays in step with the sources.
    """
    experiments = import_fresh(py_src, "experiments")
    question_two = getattr(experiments, "question_two", None)
    if not callable(question_two):
        raise AnswerTokenError(f"{experiments.__file__} defines no function question_two().")
    return question_two
