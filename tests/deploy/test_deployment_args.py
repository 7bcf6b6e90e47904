"""`jumelage serve` without a server: what the deployment is made of, and its command line."""

from __future__ import annotations

import pytest

from jumelage.cli_serve import main, register
from jumelage.deploy import build_deployment, deployment_args


def test_defaults_cron_timezone_limit_and_parameters(config):
    args = deployment_args(config)
    (schedule,) = args["schedules"]
    assert (schedule.cron, schedule.timezone) == ("30 1 * * *", "America/Montreal")
    assert args["concurrency_limit"] == 1
    assert args["name"] == "jumelage"
    assert args["parameters"] == {"config_path": str(config.source), "run_date": None}
    assert config.source.is_absolute()


def test_configured_schedule_and_name(program):
    config = program().model_copy(
        update={
            "program": program().program.model_copy(
                update={"schedule": "15 3 * * 1-5", "timezone": "Europe/Paris"}
            )
        }
    )
    args = deployment_args(config, "essai")
    (schedule,) = args["schedules"]
    assert (schedule.cron, schedule.timezone, args["name"]) == (
        "15 3 * * 1-5",
        "Europe/Paris",
        "essai",
    )


def test_runner_deployment_is_importable_from_any_directory(config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deployment = build_deployment(config, "essai")
    assert deployment.entrypoint == "jumelage.flow.nightly"
    assert deployment.name == "essai"
    assert deployment.concurrency_limit == 1
    assert deployment.schedules[0].schedule.timezone == "America/Montreal"
    assert deployment.parameters["config_path"] == str(config.source)
    assert deployment.flow_name == "nightly"
    assert deployment.enforce_parameter_schema  # a bad run_date is refused by the server


def test_without_api_url_it_stops_with_a_clear_message(config, monkeypatch, capsys):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        code = main(["--config", str(config.source)])
    assert code == 1
    err = capsys.readouterr().err
    assert "prefect server start" in err and "PREFECT_API_URL" in err


def test_help_explains_the_manual_run(capsys):
    import argparse

    parser = argparse.ArgumentParser(prog="jumelage")
    register(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit):
        parser.parse_args(["serve", "--help"])
    out = capsys.readouterr().out
    assert "prefect deployment run 'nightly/jumelage' -p run_date=2026-01-10" in out
    assert "America/Montreal" in out and "PREFECT_API_URL" in out
