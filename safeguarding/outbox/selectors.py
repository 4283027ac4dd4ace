from .models import OutboundEmail

S = OutboundEmail.Status


def needing_attention():
    """Emails a person must decide about: not known if sent, or given up on. Sign-in emails
    are left out: their link is not kept and the person can simply ask again."""
    return (
        OutboundEmail.objects.filter(status__in=[S.UNKNOWN, S.FAILED])
        .exclude(kind=OutboundEmail.Kind.SIGN_IN)
        .select_related("recipient")
        .order_by("-created_at", "-id")
    )
