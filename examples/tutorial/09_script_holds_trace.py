# TorchScript reference: a scripted module that holds a traced torchvision ResNet-18.
import torch
import torchvision

torch.manual_seed(0)


class MyScriptModule(torch.nn.Module):
    def __init__(self):
        super(MyScriptModule, self).__init__()
        self.means = torch.nn.Parameter(torch.tensor([103.939, 116.779, 123.68])
                                        .resize_(1, 3, 1, 1))
        self.resnet = torch.jit.trace(torchvision.models.resnet18(),
                                      torch.rand(1, 3, 224, 224))

    def forward(self, input):
        return self.resnet(input - self.means)


my_script_module = torch.jit.script(MyScriptModule())
print(my_script_module.code)
torch.jit.save(my_script_module, 'my_script_module.pt')
print(my_script_module(torch.rand(1, 3, 224, 224)).shape)
