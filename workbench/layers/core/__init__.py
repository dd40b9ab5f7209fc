from workbench.layers.core.dense import Dense  # noqa: F401
