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
    # Today's figures are kept per business (dashboard.status, issue 26); dated changes are swept here.
    Periodic(
        name="五小整治：更新到期的单位目标状态",
        task="dashboard.tasks.sweep_target_status",
        crontab={"minute": "1"},
        description="每小时第1分钟（主要在00:01）：重新计算证照到期、台账移出有效期等当天自动变化的单位目标状态。",
    ),
    Periodic(
        name="五小整治：核对单位目标状态",
        task="dashboard.tasks.check_target_status",
        crontab={"minute": "45", "hour": "2"},
        description="每天02:45：逐单位核对保存的目标状态与实时计算结果，记录并修正不一致之处。",
    ),
    # Only does work once a town is large enough for its figures to be kept (figures.town_matrix).
    Periodic(
        name="五小整治：刷新已保存的目标数据",
        task="dashboard.tasks.refresh_figures",
        crontab={"minute": "*/5"},
        description="每5分钟：刷新大镇已保存的目标数据。",
    ),
]
