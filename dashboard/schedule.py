"""The dashboard's periodic tasks (lib.schedule writes every app's SCHEDULE to django-celery-beat)."""

from lib.schedule import Periodic

SCHEDULE = [
    Periodic(
        name="五小整治：每周工作专报",
        task="dashboard.tasks.weekly_bulletin",
        crontab={"minute": "0", "hour": "8", "day_of_week": "1"},
        description="每周一08:00：生成上一周的工作专报并通知办公室、领导和督查组。",
    ),
    Periodic(
        name="五小整治：夜间刷新目标趋势",
        task="dashboard.tasks.refresh_snapshots",
        crontab={"minute": "30", "hour": "1"},
        description="每天01:30：记录各项目标当天的完成情况（趋势图）。",
    ),
    # Only does work once a town is large enough for its figures to be kept (figures.town_matrix).
    Periodic(
        name="五小整治：刷新已保存的目标数据",
        task="dashboard.tasks.refresh_figures",
        crontab={"minute": "*/5"},
        description="每5分钟：刷新大镇已保存的目标数据。",
    ),
]
