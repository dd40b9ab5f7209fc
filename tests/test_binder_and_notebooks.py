"""Binder installs what pyproject.toml declares; the notebooks are stored clean and complete."""

import json
import os
import re
import tomllib

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOKS = sorted(name for name in os.listdir(os.path.join(ROOT, "notebooks"))
                   if name.endswith(".ipynb"))


def _requirements():
    with open(os.path.join(ROOT, "binder", "requirements.txt")) as f:
        lines = [line.split("#")[0].strip() for line in f]
    return {re.split(r"[<>=!~\[ ]", line)[0].lower(): line for line in lines if line}


def test_binder_requirements_match_pyproject():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["notebook"]
    requirements = _requirements()
    for requirement in declared:
        name = re.split(r"[<>=!~\[ ]", requirement)[0].lower()
        assert requirements.get(name) == requirement, (
            f"binder/requirements.txt should name {requirement!r} as pyproject.toml does; "
            f"it has {requirements.get(name)!r}")
    extra = set(requirements) - {re.split(r"[<>=!~\[ ]", r)[0].lower() for r in declared}
    assert extra == {"keras"}, f"binder/requirements.txt names more than pyproject.toml: {extra}"


def test_binder_post_build_installs_workbench_with_the_notebook_extra():
    path = os.path.join(ROOT, "binder", "postBuild")
    assert os.access(path, os.X_OK)
    with open(path) as f:
        assert 'pip install -e ".[notebook]"' in f.read()


def test_there_are_twelve_numbered_notebooks():
    assert [name[:3] for name in NOTEBOOKS] == [f"{i:02d}_" for i in range(1, 13)]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_stored_without_outputs_on_the_python3_kernel(name):
    with open(os.path.join(ROOT, "notebooks", name)) as f:
        notebook = json.load(f)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code and all(not cell["outputs"] and cell["execution_count"] is None for cell in code)
    assert "import workbench as keras" in "".join(code[0]["source"])
