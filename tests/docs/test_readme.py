"""The README is a tested script: its `sh` blocks, pasted in order on a fresh `make run`, work.

The stack is started as `make run` starts it (`havn run` in a process of its own, in dev, with
a fresh data directory) on free ports, set in every `HAVN_*_PORT` variable: the examples must
find the ports there, as they do for a user who moved them.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from havn.config import SERVICES
from havn.embedded import free_port
from web.assets import FILES

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
STARTUP_SECONDS = 120.0
SCRIPT_SECONDS = 120.0
# ```sh … ``` blocks: the script. Commands not meant to be pasted are in plain ``` blocks.
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```$", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def script_blocks(markdown: str) -> list[str]:
    return SH_BLOCK.findall(markdown)


@pytest.fixture(scope="module")
def stack_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`havn run` on ports and a data directory of its own; the environment that reaches it."""
    missing = [str(path) for path in FILES.values() if not path.is_file()]
    if missing:
        pytest.skip("`havn run` starts the web client, which needs `npm ci` in web/ (make test)")
    data_dir = tmp_path_factory.mktemp("havn-run")
    ports = {"gateway", "idp", "web", *SERVICES}
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HAVN_")},
        "HAVN_ENV": "dev",
        "HAVN_DATA_DIR": str(data_dir),
        **{f"HAVN_{name.upper()}_PORT": str(free_port()) for name in sorted(ports)},
    }
    log = data_dir / "run.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli", "run"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while "Ready in" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"`havn run` did not become ready:\n{log.read_text()}")
            time.sleep(0.2)
        yield env
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_script(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SCRIPT_SECONDS,
        check=False,
    )


def test_the_readme_has_a_script_that_starts_with_the_helpers():
    blocks = script_blocks(README.read_text())
    assert len(blocks) >= 5
    assert "gql() {" in blocks[0]


def test_the_readmes_sh_blocks_run_in_order_without_an_error(stack_environment):
    script = "\n".join(script_blocks(README.read_text()))
    done = run_script(script, stack_environment)
    assert done.returncode == 0, (
        f"the README's script failed (exit {done.returncode}):\n"
        f"--- stderr\n{done.stderr}\n--- stdout (last 4000 characters)\n{done.stdout[-4000:]}"
    )
    assert '"errors"' not in done.stdout


def test_gql_of_the_readme_fails_and_shows_the_error_when_an_answer_has_errors(
    stack_environment,
):
    helpers = script_blocks(README.read_text())[0].split("\n# 1.")[0]
    done = run_script(
        helpers + "\ngql bergen-caseworker '{ child(id: \"nope\") { id } }'", stack_environment
    )
    assert done.returncode != 0
    assert "BAD_USER_INPUT" in done.stderr or "NOT_FOUND" in done.stderr


@pytest.mark.parametrize("page", [README, *sorted((ROOT / "docs").glob("*.md"))], ids=str)
def test_every_relative_link_of_the_readme_and_docs_points_at_a_file_of_the_repository(page):
    links = [target.split("#")[0] for target in LINK.findall(page.read_text())]
    relative = [t for t in links if t and not re.match(r"^[a-z][a-z0-9+.-]*:", t)]
    assert relative, f"{page.name} links to the contract at least"
    for target in relative:
        resolved = (page.parent / target).resolve()
        assert resolved.is_relative_to(ROOT), f"{target} in {page.name} leaves the repository"
        assert resolved.exists(), f"{target} in {page.name} does not exist"


def test_the_readme_names_no_path_outside_the_repository():
    assert "../shared" not in README.read_text()
