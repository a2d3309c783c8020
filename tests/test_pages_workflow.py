"""The GitHub Pages workflow (.github/workflows/pages.yml): no GitHub runner is
reachable from here, so its structure is read, and each of its `run:` steps is
run as a runner would, in a clean clone: refused while an example value is
left, exactly as `invoke publish` is, and a whole public site once it is ours."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from browser_tools import require_browser
from conftest import FIXTURE_TALLY, OUR_SITEURL, ROOT, make_it_ours

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
BUILD = "Build the public site (refused while an example value is left)"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: str) -> list[dict]:
    return workflow()["jobs"][job]["steps"]


def uses(job: str) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(job) if "uses" in step]


def test_it_publishes_each_push_to_main_and_only_through_pages():
    flow = workflow()
    triggers = flow[True]  # YAML 1.1 reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert flow["concurrency"]["cancel-in-progress"] is False  # a deployment is never cut off halfway


def test_it_takes_pelicans_own_steps_in_order():
    assert uses("build") == ["actions/checkout", "actions/setup-python", "actions/upload-pages-artifact"]
    python = next(step for step in steps("build") if step.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["cache"] == "pip"
    assert set(python["with"]["cache-dependency-path"].split()) == {"requirements.txt", "requirements-test.txt"}
    upload = steps("build")[-1]
    assert upload["with"]["path"] == "output-preview"
    deploy = workflow()["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert uses("deploy") == ["actions/deploy-pages"]


def run_steps(clone: Path, env_file: Path, only: str | None = None) -> dict[str, subprocess.CompletedProcess]:
    """Each `run:` step of the build job in `clone` (by name), as a runner runs
    it: bash, with what earlier steps wrote to $GITHUB_ENV; stops at the first failure."""
    done = {}
    for step in steps("build"):
        if "run" not in step or (only and only not in step["name"]):
            continue
        env = {**os.environ, "CI": "true", "GITHUB_ENV": str(env_file), **read_env(env_file)}
        env.pop("VIRTUAL_ENV", None)
        done[step["name"]] = result = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=clone, env=env, capture_output=True, text=True, timeout=900
        )
        if result.returncode:
            break
    return done


def read_env(env_file: Path) -> dict[str, str]:
    if not env_file.exists():
        return {}
    return dict(line.split("=", 1) for line in env_file.read_text(encoding="utf-8").splitlines() if "=" in line)


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A clean clone of this repository, as actions/checkout leaves it."""
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    clone = tmp_path_factory.mktemp("runner") / "site"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    return clone


@pytest.mark.slow
@pytest.mark.browser
def test_a_fresh_clone_is_refused_like_invoke_publish_then_built_whole_once_it_is_ours(clone, tmp_path):
    require_browser()  # the case-sheet pack: an upload without it is refused
    env_file = tmp_path / "github_env"
    ran = run_steps(clone, env_file)
    *before, last = ran
    assert last == BUILD and all(ran[name].returncode == 0 for name in before), {n: r.stderr for n, r in ran.items()}
    refused = ran[BUILD]
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    publish = subprocess.run(
        [str(clone / ".venv" / "bin" / "invoke"), "publish"], cwd=clone, capture_output=True, text=True
    )
    assert refused.stderr == publish.stderr and "example" in refused.stderr
    assert not (clone / "output-preview").exists()  # nothing to upload

    facts = clone / "event.toml"
    facts.write_text(make_it_ours(facts.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.copy(FIXTURE_TALLY, clone / "content" / "data" / "tally.csv")
    built = run_steps(clone, env_file, only=BUILD)[BUILD]
    assert built.returncode == 0, built.stderr
    site = clone / "output-preview"
    assert f'<link rel="canonical" href="{OUR_SITEURL}/"' in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "case-sheets.pdf").stat().st_size > 0
    assert json.loads((site / "tally.json").read_text(encoding="utf-8"))["total"] == 42
