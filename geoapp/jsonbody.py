"""Reading a JSON request body safely: bounded nesting, finite numbers, no NUL.

``json.loads`` recurses once per nesting level (a body of 100,000 ``[`` raises
RecursionError deep in the parser), turns ``1e309`` into ``inf`` and accepts
``"\\u0000"``, which PostgreSQL cannot store. ``parse_json_body`` checks the depth with
a linear scan before parsing and refuses the rest with a Chinese message; every JSON
API reads its body through it.
"""

from __future__ import annotations

import json
import math

from django.conf import settings


class JsonBodyError(ValueError):
    """The body is not acceptable JSON: the message says why."""


def nesting_depth(raw: str) -> int:
    """The deepest ``[``/``{`` nesting of ``raw``, strings skipped (no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _finite(value: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise JsonBodyError(f"数值 {value} 超出范围")
    return number


def _no_constant(name: str):
    raise JsonBodyError(f"JSON 中不允许 {name}")


def _check_strings(value) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise JsonBodyError("请求含有空字符（NUL），已拒绝")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_json_request(request, *, require_object: bool = True):
    """``parse_json_body`` of a request that must declare ``application/json``: a form
    or multipart body has been parsed (and consumed) by then and is not JSON anyway."""
    if request.content_type != "application/json":
        raise JsonBodyError("请求体应为 JSON（Content-Type: application/json）")
    return parse_json_body(request.body, require_object=require_object)


def parse_json_body(body: bytes, *, require_object: bool = True):
    """The decoded body (``{}`` when empty), or ``JsonBodyError``."""
    try:
        text = (body or b"{}").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonBodyError("请求体应为 UTF-8 编码的 JSON") from exc
    limit = settings.CIVATLAS_MAX_JSON_DEPTH
    if nesting_depth(text) > limit:
        raise JsonBodyError(f"JSON 嵌套超过 {limit} 层")
    try:
        data = json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except JsonBodyError:
        raise
    except ValueError as exc:
        raise JsonBodyError("请求体不是有效的 JSON") from exc
    if require_object and not isinstance(data, dict):
        raise JsonBodyError("请求体应为 JSON 对象")
    _check_strings(data)
    return data
