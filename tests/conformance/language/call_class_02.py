# Static-free class usage: an undecorated class used by a script function is
# compiled too; classes calling each other's methods.
import torch


class Vec(object):
    def __init__(self, x: float, y: float):
        self.x = x
        self.y = y

    def add(self, o: "Vec") -> "Vec":
        return Vec(self.x + o.x, self.y + o.y)

    def dot(self, o: "Vec") -> float:
        return self.x * o.x + self.y * o.y


@torch.jit.script
def work(a: float, b: float):
    v = Vec(a, b)
    w = v.add(Vec(1.0, 1.0))
    return w.x, w.y, v.dot(w)


CASES = [
    ("work", (2.0, 3.0)),
]
