"""The no-server broker (`make run`, the SQLite test run) writes each message atomically: a consumer never
sees a half-written message file (wuxiao/broker.py)."""

import os

import pytest
from django.conf import settings

from wuxiao.celery import app


def test_filesystem_broker_writes_whole_messages_only(tmp_path):
    if settings.CELERY_BROKER_URL != "wuxiaofs://":
        assert app.conf.broker_url.startswith("redis://")  # the PostgreSQL + Redis run: Redis is the broker
        return
    options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path), "store_processed": False}
    with app.connection_for_write(transport_options=options) as connection:
        assert type(connection.transport).__module__ == "wuxiao.broker"
        channel = connection.default_channel
        channel._put("wuxiao-test", {"body": "整改提醒"})
        names = os.listdir(tmp_path)
        assert len(names) == 1 and names[0].endswith(".wuxiao-test.msg")  # renamed into place, no .part left
        assert channel._get("wuxiao-test") == {"body": "整改提醒"}
        assert os.listdir(tmp_path) == []


def test_a_message_being_written_is_not_consumed(tmp_path):
    if settings.CELERY_BROKER_URL != "wuxiaofs://":
        assert app.conf.broker_url.startswith("redis://")
        return
    from kombu.transport.virtual import Empty

    options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path), "store_processed": False}
    (tmp_path / "1_abc.wuxiao-test.msg.part").write_bytes(b"")  # what a writer has open at this moment
    with app.connection_for_write(transport_options=options) as connection:
        channel = connection.default_channel
        with pytest.raises(Empty):
            channel._get("wuxiao-test")
