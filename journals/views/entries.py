"""Writing, reading, sharing and commenting on journal entries."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.services import NotTheirs
from cohorts.access import staff_establishments
from cohorts.models import Trainee
from kernel.converters import parse_id
from kernel.people import person_name

from .. import services
from ..access import (
    SUPERVISE,
    entries_by,
    entry_for_author,
    entry_for_reading,
    is_author,
    journal_keepers_only,
    supervisors_only,
)
from ..forms import EntryForm, TypedUpForm, section_field_name
from ..models import Framework, JournalEntry, Share, framework_sections
from ..rendering import markdown_to_html
from ..services import (
    JournalError,
    carry_sections,
    draft_title,
    entry_author,
    save_entry,
    stop_sharing,
    supervisors_for,
    type_up_entry,
)

# The curriculum's reflection prompts name "What? So what? Now what?" differently.
FRAMEWORK_ALIASES = {"what_so_what": Framework.WHAT}


def author_name(entry: JournalEntry) -> str:
    if entry.trainee_id is not None:
        return entry.trainee.display_name
    return person_name(entry.staff_author)


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def framework_from(value: str | None, default: str = Framework.FREE) -> str:
    value = FRAMEWORK_ALIASES.get(value, value)
    return value if value in Framework.values else default


def sent_questions(request) -> list[str]:
    """The questions of the reflection prompt an entry started from, as the page sent them."""
    data = request.POST if request.method == "POST" else request.GET
    return data.getlist("question")


def typing_trainees(user):
    """Trainees whose paper reflections this member of staff may type up."""
    return Trainee.objects.filter(establishment__in=staff_establishments(user)).select_related(
        "establishment"
    )


@journal_keepers_only
def journal_list(request):
    user = request.user
    can_supervise = user.has_perm(SUPERVISE)
    trainees = typing_trainees(user) if can_supervise else Trainee.objects.none()
    chosen = request.GET.get("trainee", "")
    if chosen:
        pk = parse_id(chosen)
        trainee = get_object_or_404(trainees, pk=pk) if pk else None
        if trainee is None:
            raise Http404
        return redirect("journals:on_behalf_entry", trainee_pk=trainee.pk)
    no_record = None
    try:
        entry_author(user)
    except JournalError as error:
        no_record = error.message
    mine = (
        entries_by(user)
        .select_related("session")
        .annotate(share_count=Count("shares"))
        .order_by("-written_on", "-created_at")
    )
    shared = []
    if can_supervise:
        shared = [
            (entry, author_name(entry))
            for entry in JournalEntry.objects.filter(shares__supervisor=user)
            .select_related("trainee", "staff_author")
            .order_by("-written_on", "-created_at")
        ]
    context = {
        "entries": mine,
        "shared": shared,
        "can_supervise": can_supervise,
        "trainees": trainees.order_by("display_name", "pk") if can_supervise else [],
        "no_record": no_record,
    }
    return render(request, "journals/journal_list.html", context)


@journal_keepers_only
def new_entry(request):
    try:
        trainee, staff = entry_author(request.user)
    except JournalError as error:
        if wants_json(request):
            return JsonResponse({"errors": [{"field": "", "message": error.message}]}, status=409)
        return render(
            request, "journals/no_trainee_record.html", {"message": error.message}, status=409
        )
    if request.method == "GET":
        initial = {
            "prompt": request.GET.get("prompt", ""),
            "framework": framework_from(request.GET.get("framework")),
            "session": request.GET.get("session", ""),
        }
        form = EntryForm(
            initial=initial,
            sections_framework=initial["framework"],
            questions=sent_questions(request),
        )
        form.initial["framework"] = form.sections_framework
        return _editor(request, form)
    return _save(request, JournalEntry(trainee=trainee, staff_author=staff))


@journal_keepers_only
def edit_entry(request, pk):
    entry = entry_for_author(request.user, pk)
    if request.method == "GET":
        initial = {
            "title": entry.title,
            "written_on": entry.written_on,
            "framework": entry.framework,
            "session": entry.session.slug if entry.session_id else "",
            "prompt": entry.prompt,
            **{section_field_name(key): text for key, text in entry.sections.items()},
        }
        form = EntryForm(
            initial=initial, sections_framework=entry.framework, questions=entry.questions
        )
        return _editor(request, form, entry=entry)
    return _save(request, entry)


def _posted_framework(request, default: str) -> tuple[str, str]:
    """(the framework the section boxes were for, the framework chosen now)."""
    sections_framework = framework_from(request.POST.get("sections_framework"), default)
    return sections_framework, framework_from(request.POST.get("framework"), sections_framework)


def _changed_framework(request, form_class, sections_framework, chosen, **form_options):
    """The form again with the chosen framework's boxes, and the writing carried into them."""
    form_options["questions"] = sent_questions(request)
    sent = form_class(request.POST, sections_framework=sections_framework, **form_options)
    initial = {name: request.POST.get(name, "") for name in ("title", "written_on", "prompt")}
    initial["session"] = request.POST.get("session", "")
    initial["framework"] = chosen
    if "supervisors" in sent.fields:
        initial["supervisors"] = request.POST.getlist("supervisors")
        initial["consent"] = request.POST.get("consent") == "on"
    carried = carry_sections(sections_framework, chosen, sent.typed_sections(), sent.questions)
    initial.update({section_field_name(key): text for key, text in carried.items()})
    return form_class(initial=initial, sections_framework=chosen, **form_options)


def _save(request, entry: JournalEntry):
    json = wants_json(request)
    sections_framework, chosen = _posted_framework(request, entry.framework or Framework.FREE)
    if "change_framework" in request.POST or (chosen != sections_framework and not json):
        form = _changed_framework(request, EntryForm, sections_framework, chosen)
        return _editor(request, form, entry=entry if entry.pk else None, fresh=True)
    draft = json and request.POST.get("autosave") == "1"
    form = EntryForm(
        request.POST,
        sections_framework=sections_framework,
        questions=sent_questions(request),
        draft=draft,
    )
    if form.is_valid():
        data = form.cleaned_data
        save_entry(
            entry,
            title=data["title"] or draft_title(data["written_on"]),
            written_on=data["written_on"],
            framework=data["framework"],
            sections=carry_sections(
                sections_framework, data["framework"], form.sections(), form.questions
            ),
            prompt=data["prompt"],
            questions=form.questions,
            session=data["session"],
        )
        if json:
            return JsonResponse(
                {
                    "id": entry.pk,
                    "edit_url": reverse("journals:edit_entry", args=[entry.pk]),
                    "entry_url": reverse("journals:entry_detail", args=[entry.pk]),
                    "saved_at": f"{timezone.localtime():%H:%M}",
                }
            )
        messages.success(request, "Your journal entry is saved.")
        return redirect("journals:entry_detail", pk=entry.pk)
    if json:
        return JsonResponse(
            {
                "errors": [
                    {"field": field, "message": message}
                    for field, message in form.errors_for_summary()
                ]
            },
            status=400,
        )
    return _editor(request, form, entry=entry if entry.pk else None, fresh=True, status=400)


def _editor(request, form, *, entry=None, trainee=None, fresh=False, status=200):
    """The editor page, for a new entry, an entry being edited, or a typed-up reflection."""
    if trainee is not None:
        action = reverse("journals:on_behalf_entry", args=[trainee.pk])
        storage = f"for-{trainee.pk}"
    elif entry is not None:
        action = reverse("journals:edit_entry", args=[entry.pk])
        storage = str(entry.pk)
    else:
        action = reverse("journals:new_entry")
        storage = "new"
    prompt = form["prompt"].value() or ""
    context = {
        "form": form,
        "entry": entry,
        "trainee": trainee,
        "action": action,
        "storage_key": f"journal-draft-{request.user.pk}-{storage}",
        "autosave": trainee is None,
        "fresh": fresh,
        "prompt": str(prompt)[:300],
        "frameworks": [
            (value, label, [heading for _, heading, _ in framework_sections(value, form.questions)])
            for value, label in form.fields["framework"].choices
        ],
        "errors": form.errors_for_summary() if form.is_bound else [],
    }
    return render(request, "journals/entry_form.html", context, status=status)


def entry_detail(request, pk):
    return _entry_page(request, entry_for_reading(request, pk))


def _entry_page(request, entry, *, comment: str = "", comment_error: str = "", status=200):
    """An entry with its comments; after a refused comment, the comment box keeps the text."""
    author = is_author(request.user, entry)
    comments = entry.comments.select_related("author")
    if not author:
        comments = comments.filter(author=request.user)
    context = {
        "entry": entry,
        "is_author": author,
        "author_name": author_name(entry),
        "entered_by": person_name(entry.entered_by) if entry.entered_by_id else "",
        "sections": [
            (heading, question, markdown_to_html(text))
            for _, heading, question, text in entry.section_list()
        ],
        "comments": [
            (
                comment,
                person_name(comment.author),
                markdown_to_html(comment.text),
            )
            for comment in comments
        ],
        "can_comment": not author,
        "comment_text": comment,
        "comment_error": comment_error,
    }
    if author:
        shares = entry.shares.select_related("supervisor").order_by("shared_at")
        shared_ids = {share.supervisor_id for share in shares}
        context["shares"] = [(share, person_name(share.supervisor)) for share in shares]
        context["supervisors"] = [
            (user, person_name(user))
            for user in supervisors_for(entry)
            if user.pk not in shared_ids
        ]
    return render(request, "journals/entry_detail.html", context, status=status)


@require_POST
@journal_keepers_only
def share_entry(request, pk):
    entry = entry_for_author(request.user, pk)
    User = get_user_model()
    stop = request.POST.get("stop", "")
    if stop:
        supervisor = User.objects.filter(pk=parse_id(stop) or 0).first()
        if supervisor is not None:
            stop_sharing(entry, supervisor)
            name = person_name(supervisor)
            messages.success(request, f"You stopped sharing this entry with {name}.")
        return redirect("journals:entry_detail", pk=entry.pk)
    chosen = [pk for pk in map(parse_id, request.POST.getlist("supervisor")) if pk]
    allowed = supervisors_for(entry).filter(pk__in=chosen)
    if not chosen or len(allowed) != len(set(chosen)):
        messages.error(request, "Choose who to share it with.")
        return redirect(reverse("journals:entry_detail", args=[entry.pk]) + "#sharing")
    for supervisor in allowed:
        services.share_entry(entry, supervisor)
    names = ", ".join(person_name(user) for user in allowed)
    messages.success(request, f"Shared with {names}.")
    return redirect("journals:entry_detail", pk=entry.pk)


@require_POST
def add_comment(request, pk):
    entry = get_object_or_404(JournalEntry, pk=pk)
    if is_author(request.user, entry):
        raise PermissionDenied
    if not Share.objects.filter(entry=entry, supervisor=request.user).exists():
        raise NotTheirs(f"journal entry {entry.pk}")
    text = request.POST.get("text", "")
    try:
        services.add_comment(entry, request.user, text)
    except JournalError as error:
        return _entry_page(request, entry, comment=text, comment_error=error.message, status=400)
    messages.success(request, "Your comment is saved. The writer can read it now.")
    return redirect(reverse("journals:entry_detail", args=[entry.pk]) + "#comments")


@supervisors_only
def on_behalf_entry(request, trainee_pk):
    trainee = get_object_or_404(typing_trainees(request.user), pk=trainee_pk)
    supervisors = supervisors_for(trainee)
    options = {"supervisors": supervisors}
    if request.method == "GET":
        framework = framework_from(request.GET.get("framework"))
        typist = [request.user.pk] if supervisors.filter(pk=request.user.pk).exists() else []
        initial = {"framework": framework, "supervisors": typist}
        form = TypedUpForm(initial=initial, sections_framework=framework, **options)
        return _editor(request, form, trainee=trainee)
    sections_framework, chosen = _posted_framework(request, Framework.FREE)
    if "change_framework" in request.POST or chosen != sections_framework:
        form = _changed_framework(request, TypedUpForm, sections_framework, chosen, **options)
        return _editor(request, form, trainee=trainee, fresh=True)
    form = TypedUpForm(request.POST, sections_framework=sections_framework, **options)
    if form.is_valid():
        data = form.cleaned_data
        entry = type_up_entry(
            trainee,
            request.user,
            consent=data["consent"],
            supervisors=list(data["supervisors"]),
            title=data["title"],
            written_on=data["written_on"],
            framework=data["framework"],
            sections=form.sections(),
            prompt=data["prompt"],
            session=data["session"],
        )
        messages.success(request, f"The reflection is saved in {trainee.display_name}'s journal.")
        if entry.shares.filter(supervisor=request.user).exists():
            return redirect("journals:entry_detail", pk=entry.pk)
        return redirect("journals:journal_list")
    return _editor(request, form, trainee=trainee, fresh=True, status=400)
