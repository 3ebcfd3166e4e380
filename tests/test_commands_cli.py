"""Every management command at the command line: bad arguments and missing files end in one clear Chinese
line on stderr and a non-zero exit, never a traceback (issue 21).

Each case goes through the command line's own path (ManagementUtility → run_from_argv, as manage.py does),
in this process for speed; a few run as real `python manage.py` subprocesses, and a configuration error
(the secret key) can only be seen that way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import ManagementUtility, call_command, get_commands

from lib.commands import BaseCommand, CommandError, chinese_argparse_message

LOCAL_APPS = {"campaigns", "accounts", "inspections", "ledgers", "dashboard", "notifications", "ops"}
ROOT = Path(settings.BASE_DIR)


def _not_a_tar(tmp_path: Path) -> str:
    path = tmp_path / "not-a-backup.tar"
    path.write_text("hello")
    return str(path)


# command → argument lists that must be refused before touching the database (one line, exit ≠ 0)
BAD_ARGUMENTS = {
    "export_roster": [[], ["/nonexistent-folder/roster.xlsx"], ["out.xlsx", "--expiring", "soon"]],
    "import_roster": [[], ["/nonexistent-folder/roster.xlsx"], ["{tmp}"]],
    "seed_demo": [["--businesses", "many"], ["--businesses", "-3"], ["--seed"]],
    "target_report": [["--as-of", "notadate"], ["--as-of", "2026-02-30"], ["--json", "yes"]],
    "target_status": [["--sweep", "--check"], ["--repair"], ["--check", "yes"]],
    "verify_draw": [["first"]],
    "trace": [[], ["--product", ""], ["--product", "   "], ["--product", "吡虫啉", "--since", "yesterday"]],
    "replan_reminders": [["now"]],
    "send_due_reminders": [["--all"]],
    "sync_schedule": [["again"]],
    "backup": [["--keep", "0"], ["--keep", "some"], ["--dir"]],
    "restore": [[], ["/nonexistent-folder/wuxiao-backup.tar"], ["{not_a_tar}"]],
    "beat_alive": [["--max-age", "soon"], ["--max-age", "0"]],
}


def _local_commands() -> dict[str, str]:
    return {name: app for name, app in get_commands().items() if app in LOCAL_APPS}


def test_every_local_command_is_covered_and_uses_the_cli_base():
    commands = _local_commands()
    assert set(commands) == set(BAD_ARGUMENTS), "add the new command's bad arguments to BAD_ARGUMENTS"
    from django.core.management import load_command_class

    for name, app in commands.items():
        command = load_command_class(app, name)
        assert isinstance(command, BaseCommand), f"{name} must subclass lib.commands.BaseCommand"


def _run_cli(argv, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", *argv]).execute()
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def _cases():
    for name, arg_lists in BAD_ARGUMENTS.items():
        for args in arg_lists:
            yield pytest.param(name, args, id=f"{name} {' '.join(args) or '(none)'}")


@pytest.mark.parametrize("name,args", list(_cases()))
def test_bad_arguments_end_in_one_chinese_line(name, args, tmp_path, capsys):
    args = [a.format(tmp=tmp_path, not_a_tar=_not_a_tar(tmp_path)) for a in args]
    code, out, err = _run_cli([name, *args], capsys)
    assert code not in (0, None)
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0]), lines[0]
    assert "usage:" not in err and "error:" not in err


def test_argparse_messages_read_in_chinese():
    assert chinese_argparse_message("the following arguments are required: file") == "缺少必填参数：file"
    assert chinese_argparse_message("argument --seed: expected one argument") == "参数 --seed 后面需要一个值"
    assert chinese_argparse_message("argument --x: invalid choice: 'z' (choose from 'yes', 'no')") == (
        "参数 --x 的值 'z' 无效，可选：'yes', 'no'"
    )


@pytest.mark.django_db
def test_refusals_after_reading_the_database_are_command_errors():
    with pytest.raises(CommandError, match="没有这些抽取记录"):
        call_command("verify_draw", "424242")
    with pytest.raises(CommandError, match="尚无心跳"):
        call_command("beat_alive")
    with pytest.raises(CommandError, match="没有代码为"):
        call_command("target_report", "--village", "no-such-village")


def _manage(args, **env_changes) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wuxiao.settings", "DJANGO_DEBUG": "true"}
    env.update(env_changes)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "args,expect",
    [
        (["import_roster", "/nonexistent-folder/roster.xlsx"], "无法访问文件“/nonexistent-folder/"),
        (["target_report", "--as-of", "notadate"], "日期“notadate”无效"),
        (["trace", "--product", ""], "--product：不能为空"),
    ],
    ids=["import_roster missing file", "target_report bad date", "trace empty product"],
)
def test_real_command_line(args, expect, tmp_path):
    done = _manage(args, DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}", REDIS_URL=None)
    assert done.returncode != 0
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert expect in done.stderr


@pytest.mark.parametrize(
    "key,expect",
    [
        (None, "必须设置环境变量 DJANGO_SECRET_KEY"),
        ("change-me-to-50-random-characters-from-a-password-generator", ".env.example 里的示例值"),
        ("short-but-not-the-example", "至少需要 50 个"),
    ],
    ids=["missing", "example placeholder", "too short"],
)
def test_deploy_check_and_start_up_refuse_a_bad_secret_in_one_line(key, expect, tmp_path):
    for args in (["check", "--deploy"], ["migrate", "--check"]):
        done = _manage(args, DJANGO_DEBUG="false", DJANGO_SECRET_KEY=key, DATABASE_URL="sqlite:///:memory:")
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        assert done.stderr.strip().splitlines() == [done.stderr.strip()]
        assert expect in done.stderr


def test_env_example_placeholder_is_the_refused_one():
    from wuxiao.env import PLACEHOLDER_SECRET_KEY, secret_key_problem

    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert example["DJANGO_SECRET_KEY"] == PLACEHOLDER_SECRET_KEY
    assert secret_key_problem(example["DJANGO_SECRET_KEY"])
    assert secret_key_problem("x" * 49)
    assert secret_key_problem("ab" * 40)  # fewer than five different characters
    assert secret_key_problem("Zq3-Xw" * 9) is None
