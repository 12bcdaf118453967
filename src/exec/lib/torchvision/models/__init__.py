from torchvision.models.resnet import ResNet, BasicBlock, Bottleneck, resnet18, resnet34, resnet50, resnet101, resnet152
from torchvision.models.mobilenetv2 import MobileNetV2, InvertedResidual, mobilenet_v2
