"""Data feeding: adapters turn user data into numpy batches; the epoch iterator stacks and prefetches."""

from workbench.trainers.data.adapters import get_data_adapter, train_validation_split
from workbench.trainers.data.epoch_iterator import EpochIterator

__all__ = ["EpochIterator", "get_data_adapter", "train_validation_split"]
