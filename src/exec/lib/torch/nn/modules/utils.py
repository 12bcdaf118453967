# torch.nn.modules.utils for cts exec: the tuple helpers the modules use.


def _single(x):
    if isinstance(x, (list, tuple)):
        return tuple(x)
    return (x,)


def _pair(x):
    if isinstance(x, (list, tuple)):
        return tuple(x)
    return (x, x)


def _triple(x):
    if isinstance(x, (list, tuple)):
        return tuple(x)
    return (x, x, x)


def _quadruple(x):
    if isinstance(x, (list, tuple)):
        return tuple(x)
    return (x, x, x, x)


def _reverse_repeat_tuple(t, n):
    out = []
    for x in reversed(t):
        for _ in range(n):
            out.append(x)
    return tuple(out)
