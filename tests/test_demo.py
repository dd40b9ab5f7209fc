import pytest


@pytest.mark.slow
def test_make_lab_demo_trains_on_bundled_digits():
    from workbench import demo

    accuracy = demo.main(epochs=15)
    assert accuracy > 0.9
