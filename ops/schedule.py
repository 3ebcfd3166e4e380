"""Running the site: beat's heartbeat and the nightly backup (written to beat by lib.schedule)."""

from lib.schedule import Periodic

SCHEDULE = [
    # The beat container's healthcheck (manage.py beat_alive) reads the heartbeat row this task moves.
    Periodic(
        name="运维：beat 心跳",
        task="ops.tasks.heartbeat",
        every_seconds=60,
        description="每分钟更新心跳行；beat 容器的健康检查（manage.py beat_alive）读取它。",
    ),
    Periodic(
        name="运维：夜间备份",
        task="ops.tasks.nightly_backup",
        crontab={"minute": "30", "hour": "2"},
        description="每天02:30：备份数据库和媒体目录到 WUXIAO_BACKUP_DIR，只保留最新 WUXIAO_BACKUP_KEEP 份。",
    ),
]
