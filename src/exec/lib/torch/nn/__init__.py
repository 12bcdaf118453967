# torch.nn for cts: the modules of the library, by their public names.
# The submodules first: library files import `init` from here while this
# package is still initializing.
from torch.nn import init
from torch.nn import functional
from torch.nn.modules.module import Module
from torch.nn.parameter import Parameter
from torch.nn.modules.linear import Identity, Linear, Bilinear
from torch.nn.modules.conv import Conv1d, Conv2d, ConvTranspose2d
from torch.nn.modules.batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d
from torch.nn.modules.normalization import LayerNorm, GroupNorm, LocalResponseNorm
from torch.nn.modules.sparse import Embedding
from torch.nn.modules.activation import Threshold, ReLU, Hardtanh, ReLU6, Sigmoid, Hardsigmoid, Tanh, SiLU, Hardswish, GELU, LeakyReLU, Softmax, LogSoftmax, MultiheadAttention
from torch.nn.modules.dropout import Dropout, Dropout1d, Dropout2d, AlphaDropout
from torch.nn.modules.pooling import MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveMaxPool2d, AdaptiveAvgPool1d, AdaptiveAvgPool2d
from torch.nn.modules.flatten import Flatten
from torch.nn.modules.container import Sequential, ModuleList, ModuleDict
from torch.nn.modules.rnn import RNNBase, RNN, LSTM, GRU
from torch.nn.modules.transformer import TransformerEncoder, TransformerEncoderLayer
