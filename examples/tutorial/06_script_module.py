# TorchScript reference: scripting a module with a parameter, saving and loading it.
import torch

torch.manual_seed(0)


class MyModule(torch.nn.Module):
    def __init__(self, N, M):
        super(MyModule, self).__init__()
        self.weight = torch.nn.Parameter(torch.rand(N, M))

    def forward(self, input):
        if input.sum() > 0:
            output = self.weight.mv(input)
        else:
            output = self.weight + input
        return output


my_module = MyModule(10, 20)
sm = torch.jit.script(my_module)
print(sm.code)
print(sm(torch.ones(20)))

torch.jit.save(sm, 'my_module.pt')
loaded = torch.jit.load('my_module.pt')
print(loaded(torch.ones(20)))
