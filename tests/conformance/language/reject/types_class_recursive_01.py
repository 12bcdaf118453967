# A class whose attribute holds an instance of itself (a linked list) is not
# supported in 1.13.
import torch
from typing import Optional


@torch.jit.script
class Node(object):
    def __init__(self, value: int, next: Optional["Node"]):
        self.value = value
        self.next = next


@torch.jit.script
def build_and_sum(n: int) -> int:
    head: Optional[Node] = None
    for i in range(n):
        head = Node(i, head)
    total = 0
    cur = head
    while cur is not None:
        total = total * 10 + cur.value
        cur = cur.next
    return total

