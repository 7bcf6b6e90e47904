from pathlib import Path

import pytest

from jumelage.cli import main
from jumelage.config import load_config
from jumelage.errors import ConfigError

from .conftest import BASE_CONFIG


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "jumelage.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_follow_the_spec(tmp_path):
    config = load_config(write(tmp_path, BASE_CONFIG))
    assert config.program.timezone == "America/Montreal"
    assert config.program.schedule == "30 1 * * *"
    assert config.matching.min_score == 0.30
    assert config.delays.proposal_expiry == 10
    assert config.data_dir == (tmp_path / "data").resolve()
    weights = config.matching.weights.normalized()
    assert sum(weights.values()) == pytest.approx(1.0)
    # competencies default to the goals vocabulary, so goals and competencies compare
    assert config.vocabulary.lookup("competencies")["gestion du changement"] == "gestion_changement"


@pytest.mark.parametrize(
    ("extra", "key", "what"),
    [
        ("[matching]\nmin_scor = 0.2\n", "matching.min_scor", "unknown key"),
        ("[matching]\nmin_score = 'high'\n", "matching.min_score", "key"),
        ("[smtp]\nport = '25'\n", "smtp.port", "key"),
        ("[delays]\nstale_after = -3\n", "delays.stale_after", "key"),
        ("[reporting]\nx = 1\n", "reporting", "unknown key"),
        ("[inbox]\nheader = {}\n", "inbox.header", "unknown key"),
        ('[inbox.headers]\n"Niveau ?" = "niveau"\n', 'inbox.headers."Niveau ?"', "key"),
        ('[inbox.values.niveau]\n"Cadre" = "3"\n', "inbox.values.niveau", "key"),
        ('[inbox.values.consent]\n"Oui" = ["oui"]\n', "inbox.values.consent.Oui", "key"),
        ('[inbox.files."mentors*"]\nrol = "mentor"\n', 'inbox.files."mentors*".rol', "key"),
    ],
)
def test_wrong_key_names_the_key_and_the_file(tmp_path, extra, key, what):
    path = write(tmp_path, BASE_CONFIG + extra)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert f"{what} '{key}'" in message
    assert str(path.resolve()) in message


def test_missing_required_key(tmp_path):
    path = write(tmp_path, BASE_CONFIG.replace('name = "Connexion Cadres"\n', ""))
    with pytest.raises(ConfigError, match=r"missing required key 'program\.name'"):
        load_config(path)


def test_password_in_the_file_is_refused(tmp_path):
    path = write(tmp_path, BASE_CONFIG + '[smtp]\nuser = "u"\npassword = "hunter2"\n')
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert "smtp.password" in str(error.value)
    assert "hunter2" not in str(error.value)


def test_bad_email_and_time_zone(tmp_path):
    path = write(tmp_path, BASE_CONFIG.replace("mentorat@example.org", "mentorat"))
    with pytest.raises(ConfigError, match=r"program\.mailbox"):
        load_config(path)
    path = write(tmp_path, BASE_CONFIG + "")
    text = path.read_text().replace("[program]\n", '[program]\ntimezone = "Mars/Olympus"\n')
    path.write_text(text)
    with pytest.raises(ConfigError, match=r"program\.timezone"):
        load_config(path)


def test_config_path_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, BASE_CONFIG)
    assert load_config().program.name == "Connexion Cadres"
    other = tmp_path / "other.toml"
    other.write_text(BASE_CONFIG.replace("Connexion Cadres", "Réseau PME"), encoding="utf-8")
    monkeypatch.setenv("JUMELAGE_CONFIG", str(other))
    assert load_config().program.name == "Réseau PME"
    assert load_config(tmp_path / "jumelage.toml").program.name == "Connexion Cadres"


def test_cli_stops_before_writing_anything(tmp_path, capsys):
    path = write(tmp_path, BASE_CONFIG + "[matching]\nmin_score = 2.0\n")
    code = main(["run", "--config", str(path), "--date", "2026-01-10"])
    assert code == 2
    err = capsys.readouterr().err
    assert "matching.min_score" in err and str(path.resolve()) in err
    assert not (tmp_path / "data").exists()


def test_cli_missing_config_file(tmp_path, capsys):
    assert main(["run", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "configuration file not found" in capsys.readouterr().err


def test_an_unknown_field_in_inbox_names_the_field_and_the_known_ones(tmp_path):
    path = write(tmp_path, BASE_CONFIG + '[inbox.headers]\n"Quel niveau ?" = "niveau"\n')
    with pytest.raises(
        ConfigError, match="unknown field 'niveau' \\(expected one of: submitted_at"
    ):
        load_config(path)


def test_inbox_sections_are_read(tmp_path):
    config = load_config(
        write(
            tmp_path,
            BASE_CONFIG
            + '[inbox.headers]\n"Quel niveau ?" = "management_level"\n'
            + '[inbox.values.management_level]\n"Cadre (niveau 3)" = 3\n'
            + '[inbox.files."mentors*"]\nrole = "mentor"\n',
        )
    )
    assert config.inbox.headers == {"Quel niveau ?": "management_level"}
    assert config.inbox.values == {"management_level": {"Cadre (niveau 3)": "3"}}
    assert config.inbox.files == {"mentors*": {"role": "mentor"}}
