"""`jumelage init`, and a data directory that must exist: never created silently."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from pydantic import BaseModel

from jumelage.cli import main
from jumelage.cli_init import DATA_DIRS, starter_text
from jumelage.config import Config, load_config, require_data_dir
from jumelage.errors import ConfigError
from tests.conftest import BASE_CONFIG


def keys(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str]]:
    """(section, key) of every key of the configuration contract."""
    out = []
    for name, field in model.model_fields.items():
        if name == "source":
            continue
        kind = field.annotation
        inner = [a for a in getattr(kind, "__args__", ()) if isinstance(a, type)]
        sub = kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None
        sub = sub or next((a for a in inner if issubclass(a, BaseModel)), None)
        if sub is not None:
            out += keys(sub, f"{prefix}{name}.")
        else:
            out.append((prefix.rstrip("."), name))
    return out


def test_init_writes_a_valid_commented_config_and_the_data_directories(tmp_path, capsys):
    target = tmp_path / "programme"
    assert main(["init", "--dir", str(target)]) == 0
    path = target / "jumelage.toml"
    config = load_config(path)  # valid as written
    assert config.data_dir == target / "data"
    for name in DATA_DIRS:
        assert (config.data_dir / name).is_dir()
    assert str(path) in capsys.readouterr().out
    assert config.model_dump(exclude={"source", "program", "vocabulary"}) == Config(
        program=config.program
    ).model_dump(exclude={"source", "program", "vocabulary"})  # the defaults, as written


def test_the_starter_names_every_section_and_key_of_the_contract():
    text = starter_text()
    for section, key in keys(Config):  # a key, or a table of its own ([vocabulary.goals])
        assert re.search(rf"^(# )?\[{re.escape(section)}[\].]", text, re.M), section
        dotted = re.escape(f"{section}.{key}")
        pattern = rf"^(# )?({re.escape(key)} = |\[{dotted}[\].])"
        assert re.search(pattern, text, re.M), f"{section}.{key}"
    for section in ("program", "smtp", "mailbox_in", "matching", "matching.weights", "delays",
                    "vocabulary.goals", "vocabulary.competencies", "vocabulary.interests",
                    "vocabulary.regions", "inbox.headers"):  # fmt: skip
        assert re.search(rf"^(# )?\[{re.escape(section)}\]", text, re.M), section
    assert "operators" in text and "max_per_run" in text  # the contract's keys to come


def test_init_never_overwrites_a_config(tmp_path, capsys):
    path = tmp_path / "jumelage.toml"
    path.write_text("# mine\n", encoding="utf-8")
    assert main(["init", "--dir", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "data").exists()


def test_a_missing_data_dir_is_a_configuration_error_and_is_never_created(tmp_path):
    path = tmp_path / "jumelage.toml"
    path.write_text(BASE_CONFIG.replace('data_dir = "data"', 'data_dir = "dta"'), "utf-8")
    for argv in (["run", "--date", "2026-03-02"], ["emails", "list"], ["sql", "select 1"],
                 ["forget", "a@x.ca"], ["emails", "resend", "k"]):  # fmt: skip
        out = subprocess.run(
            [sys.executable, "-m", "jumelage.cli", *argv, "--config", str(path)],
            capture_output=True,
            text=True,
        )
        assert out.returncode == 2, (argv, out.stderr)
        assert "program.data_dir" in out.stderr and str(path) in out.stderr
        assert "dta" in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jumelage.toml"]


def test_the_flow_refuses_a_missing_data_dir_too(tmp_path):
    path = tmp_path / "jumelage.toml"
    path.write_text(BASE_CONFIG, "utf-8")
    with pytest.raises(ConfigError, match=r"key 'program\.data_dir'"):
        require_data_dir(load_config(path))
    assert not (tmp_path / "data").exists()
