import json

import pytest

from workbench.callbacks import RemoteMonitor
from workbench.callbacks import remote_monitor as remote_monitor_module


class FakeRequests:
    class exceptions:
        RequestException = OSError

    def __init__(self):
        self.posts = []

    def post(self, url, data=None, json=None, headers=None):
        self.posts.append((url, data, json, headers))


def test_posts_epoch_logs_as_form_data_or_json(monkeypatch):
    fake = FakeRequests()
    monkeypatch.setattr(remote_monitor_module, "requests", fake)
    RemoteMonitor().on_epoch_end(2, {"loss": 0.5})
    url, data, body, _ = fake.posts[0]
    assert url == "http://localhost:9000/publish/epoch/end/" and body is None
    assert json.loads(data["data"]) == {"epoch": 2, "loss": 0.5}
    RemoteMonitor(root="http://h", path="/p", send_as_json=True, headers={"a": "b"}).on_epoch_end(
        0, {"loss": 1.0})
    assert fake.posts[1] == ("http://h/p", None, {"epoch": 0, "loss": 1.0}, {"a": "b"})


def test_without_requests_it_warns_and_sends_nothing(monkeypatch):
    monkeypatch.setattr(remote_monitor_module, "requests", None)
    with pytest.warns(UserWarning, match="requires the `requests` package"):
        monitor = RemoteMonitor()
    monitor.on_epoch_end(0, {"loss": 1.0})
