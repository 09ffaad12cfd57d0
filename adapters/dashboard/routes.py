"""Dashboard pages: overview, team, barometer, irritants board, the adviser's own answers.

Each route: the reader (session.Reader), one call into data.py, one template. A team outside
the reader's reach answers 404 exactly like a team that does not exist.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response

from adapters.dashboard import data
from adapters.dashboard.render import page
from adapters.dashboard.session import Reader, Refused, SignInRequired, runtime_of
from adapters.dashboard.text import Words
from bot.irritants import notify_reporter
from bot.runtime import Runtime
from pulse.core import buckets
from pulse.core.errors import Invalid, NotFound
from pulse.core.model import Bucket
from pulse.core.reach import Reach
from pulse.irritants.model import IrritantStatus
from pulse.irritants.service import MAX_NOTE, change_irritant

router = APIRouter(prefix="/dashboard", include_in_schema=False)


def not_found(words: Words) -> Refused:
    return Refused(404, words("There is nothing here, or it is outside what you can see."))


@router.get("")
def home(who: Reader) -> Response:
    """Managers, CX leads and admins start on the overview; advisers on their team."""
    if who.reach.whole_tenant or who.reach.board:
        return RedirectResponse("/dashboard/overview", 303)
    if who.reach.home_team:
        return RedirectResponse(f"/dashboard/teams/{who.reach.home_team}", 303)
    return RedirectResponse("/dashboard/me", 303)


@router.get("/overview")
def overview(request: Request, who: Reader, month: str | None = None) -> Response:
    """The team tree: pulse and participation by week, pillars by month."""
    runtime = runtime_of(request)
    months = data.closed_months(data.today(runtime, who.person.tenant_id))
    if month is not None and month not in months:
        raise Refused(422, who.words("Choose one of the months offered."))
    view = data.overview(runtime, who.reach, month)
    return page(request, "overview.html", who.words, who, view=view, months=months)


@router.get("/teams/{team_id}")
def team(request: Request, team_id: str, who: Reader) -> Response:
    """One team: trend with band, pillars, eNPS, participation, kudos, irritant categories."""
    try:
        view = data.team_page(runtime_of(request), who.reach, team_id)
    except NotFound:
        raise not_found(who.words) from None
    return page(request, "team.html", who.words, who, view=view)


def _bucket(raw: str | None, words: Words) -> Bucket:
    try:
        return buckets.parse_bucket(raw or "week")
    except Invalid:
        raise Refused(422, words("The period must be week or month.")) from None


def _day(raw: str | None, words: Words) -> date | None:
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise Refused(422, words("Dates look like 2026-03-31.")) from None
    if not 1970 <= day.year <= 2999:
        raise Refused(422, words("Dates look like 2026-03-31."))
    return day


@router.get("/barometer")
def barometer(request: Request, who: Reader, bucket: str | None = None,
              team: str | None = None, period: str | None = None) -> Response:
    """EX vs CX: the quadrant for one period, the lag scan of one team, the method."""
    if not who.reach.barometer:
        raise not_found(who.words)
    words = who.words
    kind = _bucket(bucket, words)
    query = request.query_params  # "from" is a Python keyword, so read the pair here
    first, last = _day(query.get("from"), words), _day(query.get("to"), words)
    if (first is None) != (last is None) or (first and last and first > last):
        raise Refused(422, words("Give both dates, the first before the last."))
    if period is not None:
        try:
            if buckets.parse_key(period)[0] is not kind:
                raise Invalid(period)
        except Invalid:
            raise Refused(422, words("That period is not one of the barometer's.")) from None
    runtime = runtime_of(request)
    k_cx = int(request.app.state.settings.cx_k_ratings)
    try:
        view = data.barometer(runtime, who.reach, k_cx=k_cx, bucket=kind, first=first,
                              last=last, team_id=team, symmetry_bucket=period)
    except NotFound:
        raise not_found(words) from None
    except Invalid:
        raise Refused(422, words("That period cannot be read: check the dates.")) from None
    return page(request, "barometer.html", words, who, view=view)


@router.get("/irritants")
def irritants(request: Request, who: Reader, done: str | None = None) -> Response:
    """The board: irritants in reach by status, with the lifecycle's next steps."""
    if not who.reach.board:
        raise not_found(who.words)
    view = data.board(runtime_of(request), who.reach)
    return page(request, "irritants.html", who.words, who, view=view, done=done,
                max_note=MAX_NOTE)


@router.post("/irritants/{irritant_id}")
async def change(request: Request, irritant_id: str, who: Reader,
                 status: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
                 csrf: Annotated[str, Form()] = "") -> Response:
    """Move an irritant; resolving it tells the reporter "you said, we did" in chat."""
    who.check_csrf(csrf)
    runtime = runtime_of(request)
    if not _may_change(runtime, who.reach, irritant_id):
        raise not_found(who.words)
    try:
        new_status = IrritantStatus(status)
    except ValueError:
        raise Refused(422, who.words("Choose a status from the list.")) from None
    try:
        updated, resolved = change_irritant(
            runtime.store, runtime.clock, who.person.tenant_id, irritant_id, status=new_status,
            owner_note=note if note.strip() else None)
    except NotFound:
        raise not_found(who.words) from None
    except Invalid:
        raise Refused(409, who.words("That move is not allowed from the irritant's current "
                                     "status, or the note is too long.")) from None
    if resolved:
        await notify_reporter(runtime, updated)
    return RedirectResponse(f"/dashboard/irritants?done={updated.id}", 303)


def _may_change(runtime: Runtime, reach: Reach, irritant_id: str) -> bool:
    return reach.changes_irritants and data.irritant_in_reach(runtime, reach, irritant_id)


@router.get("/me")
def me(request: Request, who: Reader) -> Response:
    """The reader's own recent answers: nobody else ever sees them."""
    answers = data.my_answers(runtime_of(request), who.person)
    return page(request, "me.html", who.words, who, answers=answers)


def install_handlers(app: FastAPI) -> None:
    """Dashboard errors become pages (the API keeps its JSON errors)."""
    from adapters.dashboard.signin_routes import refused_page, signin_page

    @app.exception_handler(SignInRequired)
    async def _signin(request: Request, _exc: SignInRequired) -> Response:
        return signin_page(request, status=401)

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> Response:
        return refused_page(request, exc.status, exc.message)
