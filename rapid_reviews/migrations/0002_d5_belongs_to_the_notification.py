"""D5 (send the rapid review) now runs from the decision to notify and belongs to the
notification, not to the rapid review (which may not be started yet). Clocks opened the old way
move to their case's notification, with their history, so nothing is lost or counted twice."""

from django.db import migrations


def move_to_notification(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Deadline = apps.get_model("deadlines", "Deadline")
    HistoricalDeadline = apps.get_model("deadlines", "HistoricalDeadline")
    RapidReview = apps.get_model("rapid_reviews", "RapidReview")
    Notification = apps.get_model("notifications", "Notification")
    review_type = ContentType.objects.filter(app_label="rapid_reviews", model="rapidreview").first()
    if review_type is None:
        return  # a new database: nothing was opened the old way
    notification_type, _ = ContentType.objects.get_or_create(
        app_label="notifications", model="notification"
    )
    notification_of_case = dict(Notification.objects.values_list("case_id", "pk"))
    case_of_review = dict(RapidReview.objects.values_list("pk", "case_id"))
    for deadline in Deadline.objects.filter(kind="rapid_review", content_type=review_type):
        notification_id = notification_of_case.get(case_of_review.get(deadline.object_id))
        if notification_id is None:
            continue
        HistoricalDeadline.objects.filter(id=deadline.pk).update(
            content_type=notification_type, object_id=notification_id
        )
        deadline.content_type = notification_type
        deadline.object_id = notification_id
        deadline.save(update_fields=["content_type", "object_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("rapid_reviews", "0001_initial"),
        ("notifications", "0001_initial"),
        ("deadlines", "0004_outboundemail_moves_to_outbox"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(move_to_notification, migrations.RunPython.noop)]
