"""Recurrent layers: the `RNN` time loop (one `lax.scan`), its cells, and the RNN wrappers."""

from workbench.layers.rnn.bidirectional import Bidirectional
from workbench.layers.rnn.conv_lstm1d import ConvLSTM1D
from workbench.layers.rnn.conv_lstm2d import ConvLSTM2D
from workbench.layers.rnn.conv_lstm3d import ConvLSTM3D
from workbench.layers.rnn.gru import GRU, GRUCell
from workbench.layers.rnn.lstm import LSTM, LSTMCell
from workbench.layers.rnn.rnn import RNN
from workbench.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from workbench.layers.rnn.stacked_rnn_cells import StackedRNNCells
from workbench.layers.rnn.time_distributed import TimeDistributed

__all__ = [
    "Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "GRU", "GRUCell", "LSTM",
    "LSTMCell", "RNN", "SimpleRNN", "SimpleRNNCell", "StackedRNNCells", "TimeDistributed",
]
