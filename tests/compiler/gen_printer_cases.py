#!/usr/bin/python3
"""Generate tests/compiler/printer_cases.inc: small TorchScript programs and
what PyTorch 1.13 prints for them, for test_printer.c.

    /usr/bin/python3 tests/compiler/gen_printer_cases.py [OUT.inc] [--no-conformance]

Two kinds of case:

  fn   a Python source (the HEADER imports, then definitions) and the name
       of one function in it; PyTorch's `torch.jit.script(f).code` is the
       expected text.  test_printer.c compiles the same source with cts's
       compiler (Python frontend) and prints the function with
       cts_print_function_code(fn, false, ...).

       The programs of tests/conformance/language/ are function cases too
       (each function decorated with @torch.jit.script), unless
       --no-conformance.

  mod  a Python source defining an nn.Module class `name`; the module is
       scripted and saved, and the archive's code/ files are recorded.
       test_printer.c loads those files with cts's compiler (as an archive
       loader does), prints every class and function of every file back
       with a cts_printer per file, and compares with the file text; it also
       prints `forward` as Method.code (unannotated self) and compares with
       `torch.jit.load(archive).code`.  A case is kept only if PyTorch
       itself reproduces its files after a load/save round trip.

Each case runs in this one process, so names of functions and classes are
unique across all cases (a clash would make PyTorch mangle them).  The
expected graphs are recorded too (without source comments), for the test's
diagnostics when a printed text differs.
"""
import io
import os
import re
import sys
import tempfile
import types
import zipfile

import torch

HEADER = (
    "import torch\n"
    "import math\n"
    "import torch.nn.functional as F\n"
    "from torch import Tensor\n"
    "from typing import List, Dict, Optional, Tuple, Union, NamedTuple, Any\n"
)

# (name, kind, source).  For "fn" the function `name` is scripted; for
# "mod" the nn.Module class `name` is instantiated with no arguments.
CASES = [
    # ---- arithmetic, constants, calls with defaults ----------------------
    ("p_add", "fn", """
def p_add(x: Tensor, y: Tensor) -> Tensor:
    return x + y
"""),
    ("p_add_alpha", "fn", """
def p_add_alpha(x: Tensor, y: Tensor) -> Tensor:
    a = torch.add(x, y, alpha=2)
    b = torch.add(x, y, alpha=1.0)
    c = torch.sub(x, 1)
    return a + b + c
"""),
    ("p_float_consts", "fn", """
def p_float_consts(x: Tensor) -> Tensor:
    a = x * 0.1 + 1.0 - 1e-05
    b = a * 3e20 + 2.5 - 100.0
    c = b / 0.3333333333333333 + 123456789.0 - 1e10
    return c * -0.0 + 12345678901.0
"""),
    ("p_int_ops", "fn", """
def p_int_ops(a: int, b: int) -> int:
    c = a // b + a % b - a * b
    d = c * c + abs(-c) + (-a)
    f = a ** 2
    e = d & 3 | b ^ 1
    return e << 1 >> 2 + int(f)
"""),
    ("p_bool_ops", "fn", """
def p_bool_ops(a: bool, b: bool, n: int) -> bool:
    c = a and b
    d = a or not b
    e = n > 3 and n < 10
    return (c or d) and e
"""),
    ("p_compare_chain", "fn", """
def p_compare_chain(a: int, b: int, c: int) -> bool:
    return a < b <= c and a != c
"""),
    ("p_zeros_kwargs", "fn", """
def p_zeros_kwargs(n: int) -> Tensor:
    a = torch.zeros([2, 3])
    b = torch.zeros([n], dtype=torch.float64)
    c = torch.ones(2, 3, dtype=torch.long, device=torch.device("cpu"))
    d = torch.full([2], 1.5)
    return a.sum() + b.sum() + c.sum() + d.sum()
"""),
    ("p_tensor_reduce", "fn", """
def p_tensor_reduce(x: Tensor) -> Tensor:
    a = torch.sum(x, dim=1, keepdim=True)
    b = x.mean(0)
    c = torch.max(x)
    d, e = torch.max(x, 1)
    f = x.sum()
    return a.sum() + b.sum() + c + d.sum() + e.sum() + f
"""),
    ("p_tensor_shape", "fn", """
def p_tensor_shape(x: Tensor) -> Tensor:
    n = x.size(0)
    s = x.shape
    y = x.view(-1)
    z = x.reshape([s[0], -1])
    w = x.permute(1, 0).contiguous()
    return y.sum() + z.sum() + w.sum() + n + x.dim() + len(x)
"""),
    ("p_tensor_index", "fn", """
def p_tensor_index(x: Tensor, i: int) -> Tensor:
    a = x[0]
    b = x[:, 1]
    c = x[1:3]
    d = x[i]
    e = x[..., 0]
    f = x[None]
    return a.sum() + b.sum() + c.sum() + d.sum() + e.sum() + f.sum()
"""),
    ("p_tensor_setitem", "fn", """
def p_tensor_setitem(x: Tensor) -> Tensor:
    x[0] = 1.0
    x[1:2] = x[0:1] * 2
    return x
"""),
    ("p_cat_stack", "fn", """
def p_cat_stack(x: Tensor, y: Tensor) -> Tensor:
    a = torch.cat([x, y], 1)
    b = torch.stack([x, y])
    c = torch.cat((x, y), dim=0)
    return a.sum() + b.sum() + c.sum()
"""),
    ("p_functional", "fn", """
def p_functional(x: Tensor, w: Tensor) -> Tensor:
    a = F.relu(x)
    b = F.softmax(x, dim=-1)
    c = F.linear(x, w)
    d = torch.sigmoid(x).tanh()
    e = x.clamp(min=0.0)
    return a + b + c + d + e
"""),
    ("p_tensor_new", "fn", """
def p_tensor_new(n: int) -> Tensor:
    a = torch.arange(10)
    b = torch.tensor([1.0, 2.0])
    c = torch.tensor(3)
    d = torch.randn(2, n)
    e = torch.empty([n, 2]).fill_(0.5)
    return a.sum() + b.sum() + c + d.sum() + e.sum()
"""),
    ("p_dtype_device", "fn", """
def p_dtype_device(x: Tensor) -> Tensor:
    a = x.to(torch.float64)
    b = x.float()
    c = x.to(device=torch.device("cpu"), dtype=torch.int32)
    d = x.type_as(a)
    t = x.dtype
    dev = x.device
    e = torch.zeros([2], dtype=t, device=dev)
    return a.sum() + b.sum() + c.sum() + d.sum() + e.sum()
"""),
    ("p_casts", "fn", """
def p_casts(x: Tensor, n: int, f: float) -> float:
    a = int(x)
    b = float(n)
    c = bool(x)
    d = int(f)
    e = float(x.sum())
    g = x.item()
    s = str(n)
    return a + b + float(c) + d + e + float(g) + len(s)
"""),
    ("p_math", "fn", """
def p_math(a: float, n: int) -> float:
    b = math.sqrt(a) + math.exp(a) + math.log(a)
    c = math.floor(a) + math.ceil(a)
    d = max(a, b) + min(n, 3)
    e = math.pi * a + math.inf
    return b + c + d + e + abs(a)
"""),
    ("p_div", "fn", """
def p_div(x: Tensor, a: int, b: int) -> Tensor:
    c = a / b
    d = torch.div(x, 2, rounding_mode="floor")
    e = x / 3
    return d + e + c
"""),
    ("p_ternary", "fn", """
def p_ternary(x: Tensor, c: bool) -> Tensor:
    y = x if c else x * 2
    n = 1 if c else 2
    return y + n
"""),
    ("p_inplace", "fn", """
def p_inplace(x: Tensor, y: Tensor) -> Tensor:
    x += y
    x.mul_(2)
    y.add_(x, alpha=3)
    x -= 1
    return x
"""),
    # ---- control flow ------------------------------------------------------
    ("p_for_range", "fn", """
def p_for_range(x: Tensor, n: int) -> Tensor:
    for i in range(n):
        x = x + i
    return x
"""),
    ("p_for_range_unused", "fn", """
def p_for_range_unused(n: int) -> int:
    total = 0
    for _ in range(n):
        total += 2
    return total
"""),
    ("p_for_range_start", "fn", """
def p_for_range_start(n: int) -> int:
    total = 0
    for i in range(2, n, 3):
        total = total + i * i
    return total
"""),
    ("p_while", "fn", """
def p_while(n: int) -> int:
    total = 0
    while n > 0:
        total += n
        n -= 1
    return total
"""),
    ("p_while_true_break", "fn", """
def p_while_true_break(n: int) -> int:
    i = 0
    while True:
        i += 1
        if i > n:
            break
    return i
"""),
    ("p_break_continue", "fn", """
def p_break_continue(xs: List[int]) -> int:
    total = 0
    for x in xs:
        if x < 0:
            continue
        if x > 100:
            break
        total += x
    return total
"""),
    ("p_for_list", "fn", """
def p_for_list(xs: List[float]) -> float:
    total = 0.0
    for v in xs:
        total = total + v
    return total
"""),
    ("p_for_enumerate", "fn", """
def p_for_enumerate(xs: List[int]) -> int:
    total = 0
    for i, v in enumerate(xs):
        total += i * v
    return total
"""),
    ("p_for_zip", "fn", """
def p_for_zip(xs: List[int], ys: List[int]) -> int:
    total = 0
    for a, b in zip(xs, ys):
        total += a * b
    return total
"""),
    ("p_for_dict", "fn", """
def p_for_dict(d: Dict[str, int]) -> int:
    total = 0
    for k, v in d.items():
        total += len(k) + v
    for k in d.keys():
        total += 1
    for v in d.values():
        total -= v
    return total
"""),
    ("p_for_str", "fn", """
def p_for_str(s: str) -> int:
    n = 0
    for c in s:
        if c == "a":
            n += 1
    return n
"""),
    ("p_for_tensor", "fn", """
def p_for_tensor(x: Tensor) -> Tensor:
    acc = torch.zeros([2])
    for row in x:
        acc = acc + row
    return acc
"""),
    ("p_if_else", "fn", """
def p_if_else(x: Tensor, c: bool) -> Tensor:
    if c:
        y = x + 1
    else:
        y = x - 1
    return y
"""),
    ("p_if_no_else", "fn", """
def p_if_no_else(x: Tensor, n: int) -> Tensor:
    if n > 2:
        x = x * 2
    return x
"""),
    ("p_if_elif", "fn", """
def p_if_elif(n: int) -> str:
    if n == 0:
        s = "zero"
    elif n == 1:
        s = "one"
    elif n < 0:
        s = "negative"
    else:
        s = "many"
    return s
"""),
    ("p_if_side_effect", "fn", """
def p_if_side_effect(xs: List[int], n: int) -> List[int]:
    if n > 0:
        xs.append(n)
    return xs
"""),
    ("p_early_return", "fn", """
def p_early_return(x: Tensor, n: int) -> Tensor:
    if n > 3:
        return x * 2
    y = x + 1
    if n < 0:
        return y
    return y * y
"""),
    ("p_return_in_loop", "fn", """
def p_return_in_loop(xs: List[int], t: int) -> int:
    for i in range(len(xs)):
        if xs[i] == t:
            return i
    return -1
"""),
    ("p_nested_loops", "fn", """
def p_nested_loops(n: int, m: int) -> int:
    total = 0
    for i in range(n):
        j = 0
        while j < m:
            if (i + j) % 2 == 0:
                total += i * j
            j += 1
    return total
"""),
    # ---- lists, dicts, tuples ----------------------------------------------
    ("p_list_literal", "fn", """
def p_list_literal(a: int, b: int) -> List[int]:
    xs = [a, b, 3]
    ys = [1.5, 2.5]
    return xs + [len(ys)]
"""),
    ("p_empty_list", "fn", """
def p_empty_list(n: int) -> List[int]:
    xs: List[int] = []
    ts = torch.jit.annotate(List[Tensor], [])
    for i in range(n):
        xs.append(i)
    ts.append(torch.zeros([1]))
    return xs
"""),
    ("p_list_ops", "fn", """
def p_list_ops(xs: List[int]) -> int:
    xs.append(4)
    xs.insert(0, 7)
    y = xs.pop()
    xs[1] = 9
    n = len(xs)
    z = xs[-1] + xs[0]
    ys = xs[1:3]
    xs.extend(ys)
    del xs[0]
    return y + n + z + len(ys) + xs.index(9) + xs.count(9)
"""),
    ("p_list_comp", "fn", """
def p_list_comp(xs: List[int]) -> List[int]:
    ys = [x * 2 for x in xs]
    zs = [float(y) for y in range(3)]
    return ys + [len(zs)]
"""),
    ("p_list_sorted", "fn", """
def p_list_sorted(xs: List[int]) -> List[int]:
    ys = sorted(xs)
    xs.sort()
    return ys + xs
"""),
    ("p_list_tensors", "fn", """
def p_list_tensors(x: Tensor) -> List[Tensor]:
    ts = [x, x * 2]
    ts.append(x.sum())
    u = torch.unbind(x, 0)
    return ts + u
"""),
    ("p_list_optional", "fn", """
def p_list_optional(x: Tensor) -> List[Optional[Tensor]]:
    xs: List[Optional[Tensor]] = [x, None]
    return xs
"""),
    ("p_dict_literal", "fn", """
def p_dict_literal(a: int) -> Dict[str, int]:
    d = {"a": a, "b": 2}
    d["c"] = 3
    e = d["a"] + d.get("z", 0)
    if "b" in d:
        e += 1
    d["e"] = e
    return d
"""),
    ("p_empty_dict", "fn", """
def p_empty_dict(keys: List[str]) -> Dict[str, Tensor]:
    d: Dict[str, Tensor] = {}
    for k in keys:
        d[k] = torch.zeros([1])
    return d
"""),
    ("p_dict_comp", "fn", """
def p_dict_comp(xs: List[int]) -> Dict[int, float]:
    return {x: float(x) * 0.5 for x in xs}
"""),
    ("p_dict_methods", "fn", """
def p_dict_methods(d: Dict[str, float]) -> List[str]:
    ks = list(d.keys())
    vs = list(d.values())
    d.pop("x", 0.0)
    n = len(d)
    d.clear()
    return ks + [str(len(vs) + n)]
"""),
    ("p_tuple_return", "fn", """
def p_tuple_return(x: Tensor, n: int) -> Tuple[Tensor, int]:
    return x * 2, n + 1
"""),
    ("p_tuple_unpack", "fn", """
def p_tuple_unpack(t: Tuple[int, float, str]) -> float:
    a, b, c = t
    d = t[0]
    return a + b + len(c) + d
"""),
    ("p_tuple_ops", "fn", """
def p_tuple_ops(x: Tensor) -> Tuple[Tensor, Tensor]:
    t = (x, x + 1, x + 2)
    u = t[1:3]
    one = (x,)
    return u[0] + one[0], t[-1]
"""),
    ("p_tuple_nested", "fn", """
def p_tuple_nested(n: int) -> Tuple[Tuple[int, int], List[Tuple[str, int]]]:
    pairs = [("a", n), ("b", n + 1)]
    return (n, n * 2), pairs
"""),
    ("p_tuple_const", "fn", """
def p_tuple_const() -> Tuple[int, str, float]:
    return (1, "two", 3.0)
"""),
    # ---- optionals, unions ---------------------------------------------------
    ("p_optional_refine", "fn", """
def p_optional_refine(x: Tensor, y: Optional[Tensor]) -> Tensor:
    if y is not None:
        x = x + y
    else:
        x = x - 1.5
    return x
"""),
    ("p_optional_default", "fn", """
def p_optional_default(x: int, y: Optional[int] = None, s: str = "hi", f: float = 0.5) -> int:
    if y is None:
        return x + len(s)
    return x + y
"""),
    ("p_optional_assign", "fn", """
def p_optional_assign(xs: List[int]) -> Optional[int]:
    out: Optional[int] = None
    for x in xs:
        if x > 2:
            out = x
    return out
"""),
    ("p_optional_unwrap", "fn", """
def p_optional_unwrap(x: Optional[int], y: Optional[Tensor]) -> int:
    a = x if x is not None else 0
    assert y is not None
    return a + y.dim()
"""),
    ("p_union_isinstance", "fn", """
def p_union_isinstance(x: Union[int, str, Tensor]) -> int:
    if isinstance(x, int):
        return x + 1
    elif isinstance(x, str):
        return len(x)
    return x.dim()
"""),
    ("p_isinstance_multi", "fn", """
def p_isinstance_multi(x: Union[int, float, str]) -> bool:
    return isinstance(x, (int, float))
"""),
    # ---- strings ----------------------------------------------------------------
    ("p_str_ops", "fn", """
def p_str_ops(s: str, n: int) -> str:
    a = s.upper() + s.lower()
    b = s + "-" + str(n)
    parts = s.split(",")
    c = ",".join(parts)
    d = s.strip().replace("a", "b")
    e = s.startswith("x") and s.endswith("y")
    return a + b + c + d + str(e) + s[1:] + s[0]
"""),
    ("p_str_format", "fn", """
def p_str_format(s: str, n: int, f: float) -> str:
    return "{} has {} items ({})".format(s, n, f)
"""),
    ("p_str_escape", "fn", """
def p_str_escape(s: str) -> str:
    return s + "a\\tb\\n\\"q\\" \\\\ 'x' \\x01\\x7f"
"""),
    ("p_str_long", "fn", """
def p_str_long(s: str) -> str:
    return s + "this is a rather long string constant, longer than forty characters"
"""),
    ("p_str_nonascii", "fn", """
def p_str_nonascii(s: str) -> str:
    t = s + "h\\u00e9llo"
    return t + "\\u00fcn\\u00ef"
"""),
    ("p_str_compare", "fn", """
def p_str_compare(a: str, b: str) -> bool:
    return a == b or a < b or a in b or "x" not in a
"""),
    # ---- statements ----------------------------------------------------------------
    ("p_print", "fn", """
def p_print(x: Tensor, n: int) -> int:
    print("value", x, n)
    print(n)
    return n
"""),
    ("p_raise", "fn", """
def p_raise(n: int) -> int:
    if n < 0:
        raise ValueError("negative: " + str(n))
    if n > 100:
        raise RuntimeError("too big")
    return n
"""),
    ("p_raise_bare", "fn", """
def p_raise_bare(n: int) -> int:
    if n == 3:
        raise Exception()
    return n
"""),
    ("p_assert", "fn", """
def p_assert(x: Tensor, n: int) -> Tensor:
    assert n > 0, "n must be positive"
    assert x.dim() == 2
    return x * n
"""),
    ("p_with_no_grad", "fn", """
def p_with_no_grad(x: Tensor) -> Tensor:
    with torch.no_grad():
        y = x * 2
    return y
"""),
    ("p_annotate", "fn", """
def p_annotate(n: int) -> Optional[int]:
    a = torch.jit.annotate(Optional[int], None)
    if n > 0:
        a = n
    return a
"""),
    ("p_tolist", "fn", """
def p_tolist(x: Tensor) -> List[float]:
    y: List[float] = x.tolist()
    return y
"""),
    ("p_uninitialized", "fn", """
def p_uninitialized(x: int) -> int:
    if x > 0:
        return x
    else:
        raise RuntimeError("no")
"""),
    # ---- naming ---------------------------------------------------------------------
    ("p_names_reassign", "fn", """
def p_names_reassign(x: Tensor) -> Tensor:
    x = x + 1
    x = x * 2
    y = x
    x = y - 3
    return x + y
"""),
    ("p_names_reserved", "fn", """
def p_names_reserved(x: int) -> int:
    ops = x + 1
    fork = ops * 2
    CONSTANTS = fork - 1
    _ = CONSTANTS + 2
    getattr = _ * 3
    return ops + fork + CONSTANTS + getattr
"""),
    ("p_names_clash", "fn", """
def p_names_clash(x: int, x0: int) -> int:
    x1 = x0 + 1
    x = x + x1
    x = x * 2
    _0 = x + 5
    for i in range(3):
        x = x + i + _0
    return x
"""),
    ("p_names_unnamed", "fn", """
def p_names_unnamed(a: Tensor, b: Tensor) -> Tensor:
    c = a.add_(b)
    return torch.mul(torch.add(a, b), torch.sub(a.relu(), b.sigmoid()))
"""),
    ("p_long_expr", "fn", """
def p_long_expr(alpha: Tensor, beta: Tensor, gamma: Tensor) -> Tensor:
    return torch.add(torch.mul(alpha, beta), torch.mul(torch.sigmoid(gamma), torch.tanh(alpha + beta)))
"""),
    ("p_long_args", "fn", """
def p_long_args(first_tensor: Tensor, second_tensor: Tensor) -> Tensor:
    result = torch.where(first_tensor > second_tensor, first_tensor.abs(), second_tensor.neg())
    return result.clamp(min=-1.0, max=1.0)
"""),
    # ---- functions and classes --------------------------------------------------------
    ("p_call_helper", "fn", """
def p_helper_fn(a: Tensor, k: int = 2) -> Tensor:
    return a * k

def p_call_helper(x: Tensor) -> Tensor:
    y = p_helper_fn(x)
    z = p_helper_fn(x, 3)
    return y + z
"""),
    ("p_class_use", "fn", """
class PCounter:
    def __init__(self, start: int):
        self.count = start
        self.names: List[str] = []

    def inc(self, by: int) -> int:
        self.count += by
        self.names.append(str(by))
        return self.count

def p_class_use(n: int) -> int:
    c = PCounter(n)
    c.inc(2)
    m = c.inc(3)
    return m + c.count + len(c.names)
"""),
    ("p_namedtuple", "fn", """
class PPoint(NamedTuple):
    x: float
    y: Tensor

def p_namedtuple(a: float, t: Tensor) -> Tensor:
    p = PPoint(a, t)
    q = PPoint(x=1.0, y=t * 2)
    return p.y * p.x + q[1] + q.x
"""),
    ("p_dict_of_lists", "fn", """
def p_dict_of_lists(n: int) -> Dict[str, List[int]]:
    e: List[int] = []
    d: Dict[str, List[int]] = {"a": [1, 2], "b": e}
    d["b"].append(n)
    return d
"""),
    ("p_device_str", "fn", """
def p_device_str(x: Tensor) -> Tensor:
    d = torch.device("cpu")
    return x.to(d)
"""),
    ("p_grad_mode", "fn", """
def p_grad_mode(x: Tensor) -> bool:
    return x.requires_grad or x.is_floating_point()
"""),
    ("p_chunk_unpack", "fn", """
def p_chunk_unpack(x: Tensor) -> Tensor:
    a, b = x.chunk(2)
    c, d, = torch.split(x, 1)
    return a + b + c + d
"""),
    ("p_loop_carried_tuple", "fn", """
def p_loop_carried_tuple(n: int) -> Tuple[int, int]:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a, b
"""),
    ("p_many_consts", "fn", """
def p_many_consts(x: int) -> List[float]:
    return [float(x), -1.5, 0.0, -0.0, 2.0, 1e-10, 1e16, 1.7976931348623157e308, float("nan")]
"""),
    ("p_big_ints", "fn", """
def p_big_ints(x: int) -> List[int]:
    return [x, -1, 9223372036854775807, -9223372036854775807, 0, 4294967296]
"""),
    # ---- more printing rules -------------------------------------------------
    ("p_if_multi_out", "fn", """
def p_if_multi_out(x: Tensor, n: int) -> Tensor:
    if n > 0:
        a = x + 1
        b = n * 2
    else:
        a = x - 1
        b = n
    return a * b
"""),
    ("p_while_cond", "fn", """
def p_while_cond(xs: List[int], n: int) -> int:
    i = 0
    while i < n and xs[i] != 0:
        i += 1
    return i
"""),
    ("p_loop_many_carried", "fn", """
def p_loop_many_carried(x: Tensor, n: int) -> Tuple[Tensor, int, float]:
    k = 0
    f = 1.0
    for i in range(n):
        x = x * 2
        k = k + i
        f = f / 2
    return x, k, f
"""),
    ("p_out_arg", "fn", """
def p_out_arg(x: Tensor, y: Tensor, z: Tensor) -> Tensor:
    torch.add(x, y, out=z)
    torch.mul(x, 2, out=z)
    return z
"""),
    ("p_tensor_methods", "fn", """
def p_tensor_methods(x: Tensor) -> Tensor:
    a = x.sum(dim=[0, 1], keepdim=True)
    b = x.new_zeros([2])
    c = x.transpose(0, 1).unsqueeze(-1)
    d = torch.matmul(x, x.t())
    e = torch.sum(x, dtype=torch.float64)
    f = x.flatten(1)
    return a.sum() + b.sum() + c.sum() + d.sum() + e + f.sum()
"""),
    ("p_implicit", "fn", """
def p_implicit(x: Tensor, t: Tensor) -> Tensor:
    n = x.size(t)
    y = x.view(t)
    return y + n
"""),
    ("p_tensor_cond", "fn", """
def p_tensor_cond(x: Tensor) -> Tensor:
    if x.sum() > 0:
        x = x * 2
    if not bool(x.any()):
        x = x + 1
    while x.max() > 100:
        x = x / 2
    return x
"""),
    ("p_min_max_list", "fn", """
def p_min_max_list(xs: List[int], ys: List[float]) -> float:
    return max(xs) + min(ys) + float(sum(xs))
"""),
    ("p_list_contains", "fn", """
def p_list_contains(xs: List[int], s: List[str]) -> bool:
    return 3 in xs and "a" not in s
"""),
    ("p_str_mul", "fn", """
def p_str_mul(s: str, n: int) -> str:
    t = s.center(n)
    u = s[::-1]
    return t + u + s[n:] + s[:n]
"""),
    ("p_return_nested", "fn", """
def p_return_nested(xs: List[List[int]], t: int) -> Tuple[int, int]:
    for i in range(len(xs)):
        row = xs[i]
        j = 0
        while j < len(row):
            if row[j] == t:
                return i, j
            j += 1
    return -1, -1
"""),
    ("p_optional_tensor_default", "fn", """
def p_optional_tensor_default(x: Tensor, w: Optional[Tensor] = None, dims: Tuple[int, int] = (0, 1), eps: float = 1e-05) -> Tensor:
    if w is None:
        return x + eps
    return x * w + len(dims)
"""),
    ("p_assert_isinstance", "fn", """
def p_assert_isinstance(x: Any) -> int:
    assert isinstance(x, int)
    return x + 1
"""),
    ("p_getattr_chain", "fn", """
def p_getattr_chain(x: Tensor) -> List[int]:
    s = x.shape
    t = x.T
    return [s[0], t.shape[0], x.ndim, x.numel()]
"""),
    ("p_unused_values", "fn", """
def p_unused_values(x: Tensor) -> Tensor:
    y = x + 1
    x.add_(1)
    z = x * 2
    return x
"""),
    ("p_splits_in_order", "fn", """
def p_splits_in_order(a: Tensor, b: Tensor) -> Tensor:
    return torch.cat([a.add_(b), torch.sigmoid(torch.tanh(torch.relu(a))) * b, a.sub_(b).abs()], 0)
"""),
    ("p_optional_loop_param", "fn", """
def p_optional_loop_param(x: Optional[int], n: int) -> Tuple[Optional[int], int]:
    for i in range(n):
        if x is None:
            x = i
    while n > 0 and x is not None:
        n -= 1
    return x, n
"""),
    ("p_union_loop_param", "fn", """
def p_union_loop_param(u: Union[int, str], n: int) -> Union[int, str]:
    for i in range(n):
        if isinstance(u, int):
            u = str(u)
        else:
            u = len(u)
    return u
"""),
    ("p_dead_loop", "fn", """
def p_dead_loop(x: Tensor, n: int) -> Tensor:
    while n > 0:
        n -= 1
    return x
"""),
    ("p_deep_nesting", "fn", """
def p_deep_nesting(n: int) -> int:
    total = 0
    for i in range(n):
        if i % 2 == 0:
            for j in range(i):
                if j > 3:
                    total += j
                else:
                    total -= 1
        else:
            while total > 100:
                total = total // 2
    return total
"""),
]

MOD_CASES = [
    ("PMNamed", """
class PMPair(NamedTuple):
    lo: Tensor
    hi: Optional[Tensor]

def pm_split(x: Tensor, k: int) -> PMPair:
    if k > 0:
        return PMPair(x[:k], x[k:])
    return PMPair(x, None)

class PMNamed(torch.nn.Module):
    def forward(self, x: Tensor, k: int) -> Tensor:
        p = pm_split(x, k)
        hi = p.hi
        if hi is not None:
            return p.lo.sum() + hi.sum()
        return p.lo.sum()
"""),
    ("PMConsts", """
class PMConsts(torch.nn.Module):
    __constants__ = ["eps", "name", "dims", "flag", "big"]

    def __init__(self):
        super().__init__()
        self.eps = 1e-05
        self.name = "layer"
        self.dims = (1, 2)
        self.flag = True
        self.big = 1000000000.0

    def forward(self, x: Tensor) -> Tensor:
        if self.flag:
            x = x + self.eps
        return x.sum(self.dims) * len(self.name) + self.big
"""),
    ("PMSimple", """
class PMSimple(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(3, 4)
        self.scale = 2.0

    def forward(self, x: Tensor) -> Tensor:
        return self.lin(x) * self.scale
"""),
    ("PMParams", """
class PMParams(torch.nn.Module):
    __constants__ = ["k"]

    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.ones(3))
        self.register_buffer("b", torch.zeros(3))
        self.k = 3
        self.names = ["a", "b"]
        self.table = {"x": 1}

    def helper(self, x: Tensor) -> Tensor:
        return x * self.w + self.b

    def forward(self, x: Tensor) -> Tensor:
        y = self.helper(x)
        for i in range(self.k):
            y = y + len(self.names) + self.table["x"]
        return y
"""),
    ("PMSeq", """
class PMSeq(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.seq = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
        self.layers = torch.nn.ModuleList([torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)])

    def forward(self, x: Tensor) -> Tensor:
        x = self.seq(x)
        for layer in self.layers:
            x = layer(x)
        return x
"""),
    ("PMClass", """
class PMBox:
    def __init__(self, v: int):
        self.v = v

    def get(self) -> int:
        return self.v

class PMClass(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.n = 2

    def forward(self, x: Tensor) -> Tensor:
        b = PMBox(self.n)
        return x + b.get()
"""),
    ("PMOptional", """
class PMOptional(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.bias: Optional[Tensor] = None
        self.training_steps = 0

    def forward(self, x: Tensor, y: Optional[Tensor] = None) -> Tensor:
        if self.bias is not None:
            x = x + self.bias
        if y is not None:
            x = x * y
        self.training_steps += 1
        return x
"""),
]


CONFORMANCE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance", "language")


def conformance_batches(used):
    """The language conformance programs (tests/conformance/language/*.py):
    every function decorated with @torch.jit.script becomes a case.  One
    process must not compile two definitions of the same name (PyTorch
    would mangle the second), so the files are split into batches whose
    top-level names are disjoint (and disjoint from `used`, the names of
    this file's own cases); each batch runs in its own process."""
    import ast as pyast
    batches = []  # [(names, [(stem, path, scripted)])]
    if not os.path.isdir(CONFORMANCE_DIR):
        return []
    for fname in sorted(os.listdir(CONFORMANCE_DIR)):
        if not fname.endswith(".py") or fname.startswith("gen_"):
            continue
        path = os.path.join(CONFORMANCE_DIR, fname)
        with open(path) as f:
            tree = pyast.parse(f.read())
        names = set(n.name for n in tree.body if isinstance(n, (pyast.FunctionDef, pyast.ClassDef)))
        scripted = [n.name for n in tree.body if isinstance(n, pyast.FunctionDef)
                    and any(pyast.unparse(d).endswith("script") for d in n.decorator_list)]
        if not scripted:
            continue
        for bnames, files in batches:
            if not (names & bnames):
                bnames.update(names)
                files.append((fname[:-3], path, scripted))
                break
        else:
            batches.append((set(used) | names, [(fname[:-3], path, scripted)]))
    return [files for _, files in batches]


def run_conformance_batch(files, tmpdir):
    entries = []
    for stem, path, fns in files:
        with open(path) as f:
            source = f.read()
        mod, text, tpath = exec_case(tmpdir, stem, source, header="")
        try:
            run_in_main(mod, text, tpath, lambda: None)
        except Exception as e:  # a program PyTorch rejects is not a printer case
            print("gen_printer_cases: %s: %s; left out" % (stem, str(e).strip().splitlines()[0]), file=sys.stderr)
            continue
        for fn in fns:
            f = mod.__dict__[fn]
            entries.append(("conf_%s_%s" % (stem, fn), fn, text, f.code, strip_graph(str(f.graph))))
    return entries


def conformance_entries(used, tmpdir):
    import json
    import subprocess
    entries = []
    for i, files in enumerate(conformance_batches(used)):
        spec = os.path.join(tmpdir, "batch%d.json" % i)
        out = os.path.join(tmpdir, "batch%d.out.json" % i)
        with open(spec, "w") as f:
            json.dump(files, f)
        subprocess.run([sys.executable, os.path.abspath(__file__), "--batch", spec, out], check=True)
        with open(out) as f:
            entries += [tuple(e) for e in json.load(f)]
    return entries


def strip_graph(g):
    return "\n".join(re.sub(r"\s+# .*$", "", line).rstrip() for line in g.splitlines()) + "\n"


def exec_case(tmpdir, tag, source, header=HEADER):
    """Executes the case as a module named __main__ (so PyTorch names its
    definitions __torch__.X) backed by a real file (so inspect finds the
    source).  Returns the module."""
    path = os.path.join(tmpdir, "%s.py" % tag)
    text = header + source
    with open(path, "w") as f:
        f.write(text)
    mod = types.ModuleType("__main__")
    mod.__file__ = path
    return mod, text, path


def run_in_main(mod, text, path, fn):
    old = sys.modules["__main__"]
    sys.modules["__main__"] = mod
    try:
        exec(compile(text, path, "exec"), mod.__dict__)
        return fn()
    finally:
        sys.modules["__main__"] = old


def archive_code(buf):
    files = {}
    with zipfile.ZipFile(io.BytesIO(buf)) as z:
        for name in z.namelist():
            parts = name.split("/")
            if len(parts) >= 3 and parts[1] == "code" and name.endswith(".py"):
                files["/".join(parts[2:])] = z.read(name).decode("utf-8")
    return files


def c_str(s):
    out = []
    for ch in s.encode("utf-8"):
        c = chr(ch)
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append("\\%03o" % ch)
    # split into lines for readability
    joined = "".join(out)
    pieces = joined.split("\\n")
    lines = ['"%s\\n"' % p for p in pieces[:-1]]
    if pieces[-1] or not lines:
        lines.append('"%s"' % pieces[-1])
    return "\n    ".join(lines)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out_path = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                                  "printer_cases.inc")
    names = [c[0] for c in CASES] + [c[0] for c in MOD_CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    used = set()
    for _, _, source in CASES:
        used.update(re.findall(r"^(?:def|class) (\w+)", source, re.M))
    for _, source in MOD_CASES:
        used.update(re.findall(r"^(?:def|class) (\w+)", source, re.M))
    with_conformance = "--no-conformance" not in sys.argv
    entries = []
    mod_entries = []
    with tempfile.TemporaryDirectory() as tmpdir:
        for name, kind, source in CASES:
            assert kind == "fn"
            mod, text, path = exec_case(tmpdir, name, source)
            f = run_in_main(mod, text, path, lambda: torch.jit.script(mod.__dict__[name]))
            entries.append((name, name, text, f.code, strip_graph(str(f.graph))))
        if with_conformance:
            entries += conformance_entries(used, tmpdir)
        for name, source in MOD_CASES:
            mod, text, path = exec_case(tmpdir, name, source)

            def build():
                return torch.jit.script(mod.__dict__[name]())

            m = run_in_main(mod, text, path, build)
            buf = io.BytesIO()
            torch.jit.save(m, buf)
            files = archive_code(buf.getvalue())
            loaded = torch.jit.load(io.BytesIO(buf.getvalue()))
            buf2 = io.BytesIO()
            torch.jit.save(loaded, buf2)
            files2 = archive_code(buf2.getvalue())
            if files != files2:
                print("gen_printer_cases: %s: PyTorch does not reproduce its own code files; skipped" % name,
                      file=sys.stderr)
                continue
            mod_entries.append((name, sorted(files.items()), loaded.code, strip_graph(str(loaded.graph))))

    with open(out_path, "w") as f:
        f.write("/* printer_cases.inc - generated by gen_printer_cases.py from PyTorch %s; do not edit. */\n"
                % torch.__version__)
        # sources shared by several cases (conformance files) are written once
        sources = {}
        for _, _, text, _, _ in entries:
            if text not in sources:
                sources[text] = len(sources)
                f.write("static const char PRINTER_SRC_%d[] =\n    %s;\n" % (sources[text], c_str(text)))
        f.write("\nstatic const printer_fn_case PRINTER_FN_CASES[] = {\n")
        for name, fn, text, code, graph in entries:
            f.write("{\"%s\", \"%s\", PRINTER_SRC_%d,\n    %s,\n    %s},\n" % (name, fn, sources[text], c_str(code),
                                                                        c_str(graph)))
        f.write("};\n\n")
        for i, (name, files, code, graph) in enumerate(mod_entries):
            f.write("static const printer_file PRINTER_MOD_FILES_%d[] = {\n" % i)
            for path, text in files:
                f.write("{\"%s\",\n    %s},\n" % (path, c_str(text)))
            f.write("};\n")
        f.write("static const printer_mod_case PRINTER_MOD_CASES[] = {\n")
        for i, (name, files, code, graph) in enumerate(mod_entries):
            f.write("{\"%s\", PRINTER_MOD_FILES_%d, %d,\n    %s,\n    %s},\n"
                    % (name, i, len(files), c_str(code), c_str(graph)))
        f.write("};\n")
    print("gen_printer_cases: %d function cases, %d module cases -> %s" % (len(entries), len(mod_entries), out_path))


def batch_main(spec, out):
    import json
    with open(spec) as f:
        files = json.load(f)
    with tempfile.TemporaryDirectory() as tmpdir:
        entries = run_conformance_batch(files, tmpdir)
    with open(out, "w") as f:
        json.dump(entries, f)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--batch"]:
        batch_main(sys.argv[2], sys.argv[3])
    else:
        main()
