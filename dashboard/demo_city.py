"""`seed_demo` (issue 24): the city's own papers on its towns — the city leader (demo user `city`) drafts a
city bulletin and a city circular from the city's figures, naming the towns below target; the bulletin is
issued (its .docx stored), the circular left a draft for the leader to edit and issue (both states shown).
Seeded after the neighbouring towns (campaigns.demo_towns), so with --towns N the papers rank every town;
with one town they name the demo town alone."""

from django.contrib.auth import get_user_model

from .choices import CityPaperKind
from .models import CityPaper

LEADER = "city"


def clear(ctx) -> None:
    for paper in CityPaper.objects.filter(created_by__username=LEADER):
        paper.file.delete(save=False)
        paper.delete()


def seed(ctx) -> None:
    from . import services

    leader = get_user_model().objects.filter(username=LEADER).first()
    if leader is None or ctx.town is None:
        return
    bulletin = services.city_paper_draft(kind=CityPaperKind.BULLETIN, user=leader, as_of=ctx.today)
    bulletin = services.city_paper_issue(paper=bulletin, user=leader)
    circular = services.city_paper_draft(kind=CityPaperKind.CIRCULAR, user=leader, as_of=ctx.today)
    ctx.report.append(
        f"全市专报与通报（issue 24）：市领导 city 起草并印发全市工作专报{bulletin.reference}，"
        f"全市通报{circular.reference}为草稿（可审改后印发）；各镇排名并点名未达标的镇。"
    )
