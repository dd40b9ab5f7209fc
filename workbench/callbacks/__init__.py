"""Callbacks, as `keras.callbacks`: hooks into fit, evaluate and predict."""

from workbench.callbacks.backup_and_restore import BackupAndRestore
from workbench.callbacks.callback import Callback
from workbench.callbacks.callback_list import CallbackList
from workbench.callbacks.csv_logger import CSVLogger
from workbench.callbacks.early_stopping import EarlyStopping
from workbench.callbacks.history import History
from workbench.callbacks.lambda_callback import LambdaCallback
from workbench.callbacks.learning_rate_scheduler import LearningRateScheduler
from workbench.callbacks.model_checkpoint import ModelCheckpoint
from workbench.callbacks.progbar_logger import ProgbarLogger
from workbench.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from workbench.callbacks.remote_monitor import RemoteMonitor
from workbench.callbacks.swap_ema_weights import SwapEMAWeights
from workbench.callbacks.tensorboard import TensorBoard
from workbench.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History",
    "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger",
    "ReduceLROnPlateau", "RemoteMonitor", "SwapEMAWeights", "TensorBoard", "TerminateOnNaN",
]
