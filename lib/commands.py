"""The base of every management command: bad arguments and missing files end in one Chinese line.

Django's own base prints argparse's English usage block for a bad argument, a traceback when a `type=`
converter raises CommandError (it is called while parsing, outside Django's try), "CommandError: …" for a
refusal and a traceback for a missing file. Commands here subclass `lib.commands.BaseCommand` instead:

- argparse's messages are put into Chinese and printed as one line ("参数错误：…"), exit status 2;
- a `CommandError` prints its message alone, exit status 1 (or its `returncode`);
- an `OSError` naming a file (missing, unreadable, a folder) becomes "无法读取/写入文件 …", exit status 1.

Converters for `type=` raise `argparse.ArgumentTypeError` with a Chinese message (see `iso_date`).
`--traceback` still shows the traceback, for a developer.
"""

from __future__ import annotations

import argparse
import datetime
import errno
import re
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management import base
from django.core.management.base import CommandError, handle_default_options
from django.db import connections

__all__ = ["BaseCommand", "CommandError", "iso_date", "non_empty"]

_TYPE_NAMES = {"int": "整数", "float": "数字", "iso_date": "日期（YYYY-MM-DD）", "non_empty": "非空文字"}

# argparse's English messages (Python 3.11–3.13) → Chinese. Each pattern matches a whole message.
_MESSAGES = [
    (r"the following arguments are required: (.+)", lambda m: f"缺少必填参数：{m[1]}"),
    (r"unrecognized arguments: (.+)", lambda m: f"无法识别的参数：{m[1]}"),
    (r"argument (\S+): expected one argument", lambda m: f"参数 {m[1]} 后面需要一个值"),
    (r"argument (\S+): expected at least one argument", lambda m: f"参数 {m[1]} 后面至少需要一个值"),
    (
        r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)",
        lambda m: f"参数 {m[1]} 的值 {m[2]} 无效，可选：{m[3]}",
    ),
    (
        r"argument (\S+): invalid (\w+) value: (.+)",
        lambda m: f"参数 {m[1]} 的值 {m[3]} 不是有效的{_TYPE_NAMES.get(m[2], m[2])}",
    ),
    (r"argument (\S+): not allowed with argument (\S+)", lambda m: f"参数 {m[1]} 不能与 {m[2]} 同时使用"),
    (r"argument (\S+): ignored explicit argument (.+)", lambda m: f"参数 {m[1]} 不接受值 {m[2]}"),
    (r"argument (\S+): (.+)", lambda m: f"参数 {m[1]}：{m[2]}"),
]


def chinese_argparse_message(message: str) -> str:
    for pattern, build in _MESSAGES:
        match = re.fullmatch(pattern, message.strip(), flags=re.DOTALL)
        if match:
            return build(match)
    return message


def iso_date(value: str) -> datetime.date:
    """`type=` converter for YYYY-MM-DD options."""
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{value}”无效，应为 YYYY-MM-DD（例如 2026-06-30）") from None


def non_empty(value: str) -> str:
    """`type=` converter for options that must not be blank (a product name, a code)."""
    if not value.strip():
        raise argparse.ArgumentTypeError("不能为空")
    return value.strip()


def _file_message(exc: OSError) -> str:
    name = exc.filename or ""
    reasons = {
        errno.ENOENT: "文件或目录不存在",
        errno.EACCES: "没有权限",
        errno.EPERM: "没有权限",
        errno.EISDIR: "这是一个目录，不是文件",
        errno.ENOTDIR: "路径中有一段不是目录",
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "文件系统只读",
    }
    reason = reasons.get(exc.errno, exc.strerror or str(exc))
    return f"无法访问文件“{name}”：{reason}。" if name else f"文件操作失败：{reason}。"


class BaseCommand(base.BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        command = self

        def error(message):
            text = f"参数错误：{chinese_argparse_message(message)}（用法见 python manage.py {subcommand} -h）"
            if parser.called_from_command_line:
                command.stderr.write(text)
                sys.exit(2)
            raise CommandError(text, returncode=2)

        parser.error = error
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except OSError as exc:
            if options.get("traceback"):
                raise
            raise CommandError(_file_message(exc)) from exc

    def run_from_argv(self, argv):
        """Django's run_from_argv, printing a CommandError as its message alone (one Chinese line)."""
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            if options.traceback:
                raise
            self.stderr.write(str(exc).strip())
            sys.exit(exc.returncode)
        finally:
            try:
                connections.close_all()
            except ImproperlyConfigured:
                pass
