# torchvision for cts: only the models below (torchvision 0.14 sources).
from torchvision import models
