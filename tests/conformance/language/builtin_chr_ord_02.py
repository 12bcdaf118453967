# A Caesar cipher with chr/ord and % on letters only.
import torch


@torch.jit.script
def caesar(s: str, k: int) -> str:
    out = ""
    for c in s:
        if "a" <= c <= "z":
            out += chr((ord(c) - ord("a") + k) % 26 + ord("a"))
        elif "A" <= c <= "Z":
            out += chr((ord(c) - ord("A") + k) % 26 + ord("A"))
        else:
            out += c
    return out


CASES = [
    ("caesar", ("Hello, World!", 3)),
    ("caesar", ("Khoor, Zruog!", -3)),
    ("caesar", ("", 5)),
]
