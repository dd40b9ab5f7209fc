"""Training: compile/fit/evaluate/predict (trainer.py), the jitted steps (steps.py), and data feeding."""
