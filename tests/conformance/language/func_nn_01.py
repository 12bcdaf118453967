# torch.nn.functional activations: relu, gelu, sigmoid, softmax, log_softmax, leaky_relu, elu, hardtanh, silu.
import torch
import torch.nn.functional as F


@torch.jit.script
def act(x: torch.Tensor):
    return (F.relu(x), F.gelu(x), torch.sigmoid(x), F.softmax(x, dim=-1), F.log_softmax(x, 1),
            F.leaky_relu(x, 0.1), F.elu(x), F.hardtanh(x), F.silu(x), F.softplus(x), F.relu6(x * 4))


CASES = [
    ("act", (torch.tensor([[-2.0, -0.5, 0.0, 0.5, 2.0]]),)),
]
