"""What `compile()` resolves: the compiled loss (per output, weighted) and the compiled metrics.

Strings that depend on the data ("accuracy", "crossentropy") are resolved from the shapes of
`y_true` and `y_pred` when the first batch is seen, as in Keras.
"""

from workbench import tree

_ACCURACY = ("accuracy", "acc")
_CROSSENTROPY = ("crossentropy", "ce")


def is_binary_or_sparse_categorical(y_true, y_pred):
    true_rank, pred_rank = len(y_true.shape), len(y_pred.shape)
    true_last = y_true.shape[-1] if true_rank else 1
    pred_last = y_pred.shape[-1] if pred_rank else 1
    is_binary = pred_last == 1
    is_sparse = true_rank < pred_rank or (true_last == 1 and pred_last > 1)
    return is_binary, is_sparse


def _output_structure(names, y_pred):
    """Returns `(names, flat_predictions)` for the model outputs."""
    if isinstance(y_pred, dict):
        keys = sorted(y_pred)
        return keys, [y_pred[k] for k in keys]
    flat = tree.flatten(y_pred)
    if names is None or len(names) != len(flat):
        names = [f"output_{i}" for i in range(len(flat))] if len(flat) > 1 else ["output"]
    return list(names), flat


def _flat_targets(y_true, names, count):
    if isinstance(y_true, dict):
        missing = [n for n in names if n not in y_true]
        if missing:
            raise ValueError(
                f"The targets dict has keys {sorted(y_true)}, but the model outputs are named "
                f"{names}; targets are missing for {missing}."
            )
        return [y_true[n] for n in names]
    flat = tree.flatten(y_true)
    if len(flat) != count:
        raise ValueError(
            f"The model has {count} output(s) {names}, but {len(flat)} target array(s) were given. "
            "Pass one target per output, as a list in output order or a dict keyed by output name."
        )
    return flat


def _per_output(spec, names, what):
    """Spreads a loss/metric spec (single, list, or dict) over the outputs."""
    count = len(names)
    if isinstance(spec, dict):
        unknown = [k for k in spec if k not in names]
        if unknown:
            raise ValueError(
                f"The `{what}` dict has keys {unknown} that are not model outputs. Output names: {names}."
            )
        return [spec.get(n) for n in names]
    if isinstance(spec, (list, tuple)) and count > 1:
        if len(spec) != count:
            raise ValueError(
                f"The model has {count} outputs, so `{what}` given as a list must have {count} "
                f"entries. Received {len(spec)}: {spec}"
            )
        return list(spec)
    return [spec] * count


class CompileLoss:
    """The compiled loss: a loss per output, weighted and summed, with a `<output>_loss` tracker each."""

    def __init__(self, loss, loss_weights=None, output_names=None):
        self.loss = loss
        self.loss_weights = loss_weights
        self.output_names = output_names
        self.built = False
        self.metrics = []

    def build(self, y_true, y_pred):
        from workbench import losses, metrics

        names, predictions = _output_structure(self.output_names, y_pred)
        targets = _flat_targets(y_true, names, len(predictions))
        specs = _per_output(self.loss, names, "loss")
        weights = self.loss_weights
        if weights is None:
            weights = [1.0] * len(names)
        elif isinstance(weights, (int, float)):
            weights = [float(weights)] * len(names)
        else:
            weights = [1.0 if w is None else w for w in _per_output(weights, names, "loss_weights")]
        self._names = names
        self._losses = []
        for spec, target, prediction in zip(specs, targets, predictions):
            if spec is None:
                self._losses.append(None)
                continue
            if isinstance(spec, str) and spec in _CROSSENTROPY:
                binary, sparse = is_binary_or_sparse_categorical(target, prediction)
                spec = ("binary_crossentropy" if binary else
                        "sparse_categorical_crossentropy" if sparse else "categorical_crossentropy")
            resolved = losses.get(spec)
            if not isinstance(resolved, losses.Loss):
                resolved = losses.LossFunctionWrapper(resolved, name=getattr(resolved, "__name__", None))
            self._losses.append(resolved)
        self._weights = weights
        if len(names) > 1:
            self.metrics = [metrics.Mean(name=f"{name}_loss") for name, fn in zip(names, self._losses)
                            if fn is not None]
        self.built = True

    def __call__(self, y_true, y_pred, sample_weight=None):
        names, predictions = _output_structure(self.output_names, y_pred)
        targets = _flat_targets(y_true, names, len(predictions))
        if sample_weight is not None and not isinstance(sample_weight, dict) and tree.is_nested(sample_weight):
            weights_per_output = tree.flatten(sample_weight)
        elif isinstance(sample_weight, dict):
            weights_per_output = [sample_weight.get(n) for n in names]
        else:
            weights_per_output = [sample_weight] * len(names)
        total = None
        trackers = iter(self.metrics)
        for fn, weight, target, prediction, sw in zip(self._losses, self._weights, targets, predictions,
                                                       weights_per_output):
            if fn is None:
                continue
            value = fn(target, prediction, sample_weight=sw)
            if self.metrics:
                next(trackers).update_state(value, sample_weight=prediction.shape[0])
            value = value * weight
            total = value if total is None else total + value
        return total


class CompileMetrics:
    """The compiled metrics of every output; `result()` is a dict of Keras log names."""

    def __init__(self, metrics, weighted_metrics, output_names=None):
        self.metrics_spec = metrics
        self.weighted_metrics_spec = weighted_metrics
        self.output_names = output_names
        self.built = False
        self._metrics = []
        self._weighted = []

    @property
    def metrics(self):
        return [m for group in self._metrics + self._weighted for m in group]

    @property
    def variables(self):
        return [v for m in self.metrics for v in m.variables]

    def _resolve(self, spec, target, prediction, prefix):
        from workbench import metrics as metrics_module

        if spec is None:
            return []
        specs = spec if isinstance(spec, (list, tuple)) else [spec]
        resolved = []
        for item in specs:
            if isinstance(item, str):
                name = item
                if item in _ACCURACY:
                    binary, sparse = is_binary_or_sparse_categorical(target, prediction)
                    cls = (metrics_module.BinaryAccuracy if binary else
                           metrics_module.SparseCategoricalAccuracy if sparse else
                           metrics_module.CategoricalAccuracy)
                    metric = cls(name=prefix + name)
                elif item in _CROSSENTROPY:
                    binary, sparse = is_binary_or_sparse_categorical(target, prediction)
                    cls = (metrics_module.BinaryCrossentropy if binary else
                           metrics_module.SparseCategoricalCrossentropy if sparse else
                           metrics_module.CategoricalCrossentropy)
                    metric = cls(name=prefix + name)
                else:
                    found = metrics_module.get(item)
                    if isinstance(found, metrics_module.Metric):
                        metric = found
                        metric.name = prefix + name
                    else:
                        metric = metrics_module.MeanMetricWrapper(found, name=prefix + name)
            elif isinstance(item, metrics_module.Metric):
                metric = item
                if prefix and not item.name.startswith(prefix):
                    metric.name = prefix + item.name
            elif callable(item):
                metric = metrics_module.MeanMetricWrapper(item, name=prefix + item.__name__)
            else:
                raise ValueError(
                    f"Invalid metric {item!r}: expected a string, a Metric, or a function "
                    "`fn(y_true, y_pred)`."
                )
            resolved.append(metric)
        return resolved

    def build(self, y_true, y_pred):
        names, predictions = _output_structure(self.output_names, y_pred)
        targets = _flat_targets(y_true, names, len(predictions)) if y_true is not None else [None] * len(names)
        multiple = len(names) > 1

        def spread(spec, what):
            if spec is None:
                return [None] * len(names)
            if isinstance(spec, dict):
                return _per_output(spec, names, what)
            if multiple and isinstance(spec, (list, tuple)) and spec and all(
                    isinstance(s, (list, tuple)) or s is None for s in spec):
                return _per_output(spec, names, what)
            return [spec] * len(names)

        self._names = names
        self._metrics = [self._resolve(s, t, p, f"{n}_" if multiple else "")
                         for s, t, p, n in zip(spread(self.metrics_spec, "metrics"), targets, predictions, names)]
        self._weighted = [self._resolve(s, t, p, f"{n}_" if multiple else "")
                          for s, t, p, n in zip(spread(self.weighted_metrics_spec, "weighted_metrics"),
                                                targets, predictions, names)]
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        names, predictions = _output_structure(self.output_names, y_pred)
        targets = _flat_targets(y_true, names, len(predictions))
        if isinstance(sample_weight, dict):
            weights = [sample_weight.get(n) for n in names]
        elif sample_weight is not None and tree.is_nested(sample_weight):
            weights = tree.flatten(sample_weight)
        else:
            weights = [sample_weight] * len(names)
        for group, target, prediction in zip(self._metrics, targets, predictions):
            for metric in group:
                metric.update_state(target, prediction)
        for group, target, prediction, weight in zip(self._weighted, targets, predictions, weights):
            for metric in group:
                metric.update_state(target, prediction, sample_weight=weight)

    def result(self):
        results = {}
        for metric in self.metrics:
            value = metric.result()
            if isinstance(value, dict):
                results.update(value)
            else:
                results[metric.name] = value
        return results

    def reset_state(self):
        for metric in self.metrics:
            metric.reset_state()
