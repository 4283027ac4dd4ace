from django.http import Http404

from .models import GeneratedFile


def files_of(user):
    """The files this person asked for, newest first. Nobody sees another person's files."""
    return GeneratedFile.objects.filter(requested_by=user).order_by("-requested_at", "-id")


def file_for(user, pk):
    generated = files_of(user).filter(pk=pk).first()
    if generated is None:
        raise Http404("No such file")
    return generated
