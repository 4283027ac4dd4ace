"""Demo data for a fictional partnership. Safe to run again: it makes what is missing and
resets the demo users' sign-in details so the README's codes always work."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts import services
from safeguarding.accounts.models import Agency, User
from safeguarding.accounts.roles import Role

DEMO_PASSWORD = "demo-password-2026"
# Known, public demo secrets: these accounts exist only on demo installs (DEBUG on).
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238 test key, hex
DEMO_BACKUP_CODES = [f"demo{n:04d}" for n in range(1, 11)]

AGENCIES = [
    ("Northbridge City Council Children's Services", Agency.Kind.LOCAL_AUTHORITY),
    ("Northbridge Police", Agency.Kind.POLICE),
    ("Northbridge and Wyre Integrated Care Board", Agency.Kind.ICB),
    ("Northbridge Hospitals NHS Foundation Trust", Agency.Kind.HEALTH_PROVIDER),
    ("Wyre Community Health Services", Agency.Kind.HEALTH_PROVIDER),
    ("Northbridge Education Partnership", Agency.Kind.EDUCATION),
    ("Probation Service, Northbridge", Agency.Kind.PROBATION),
    ("Northbridge Youth Justice Service", Agency.Kind.YOUTH_JUSTICE),
    ("Northbridge Families Together (voluntary sector)", Agency.Kind.VOLUNTARY_SECTOR),
]
LA, POLICE, ICB, HOSPITALS, COMMUNITY, EDUCATION = (a[0] for a in AGENCIES[:6])

# email, name, job title, agency, roles, staff
USERS = [
    (
        "business.manager@northbridge.example",
        "Priya Shah",
        "Business Manager",
        LA,
        [Role.BUSINESS_MANAGER],
        False,
    ),
    (
        "pdeo@northbridge.example",
        "Tom Ellis",
        "Partnership Development and Engagement Officer",
        LA,
        [Role.PDEO],
        False,
    ),
    (
        "chair@northbridge.example",
        "Dr Helen Okafor",
        "Director of Nursing",
        ICB,
        [Role.PANEL_CHAIR],
        False,
    ),
    (
        "deputy.chair@northbridge.example",
        "Mark Bennett",
        "Head of Service, Quality Assurance and Safeguards",
        LA,
        [Role.DEPUTY_CHAIR],
        False,
    ),
    (
        "panel.police@northbridge.example",
        "DCI Sarah Lowe",
        "DCI Public Protection",
        POLICE,
        [Role.PANEL_MEMBER],
        False,
    ),
    (
        "panel.health@northbridge.example",
        "Dr James Patel",
        "Designated Doctor",
        ICB,
        [Role.PANEL_MEMBER],
        False,
    ),
    (
        "executive@northbridge.example",
        "Angela Murray",
        "Director of Children's Services",
        LA,
        [Role.EXECUTIVE_MEMBER],
        False,
    ),
    (
        "contributor.police@northbridge.example",
        "Kevin Doyle",
        "Safeguarding Lead",
        POLICE,
        [Role.AGENCY_CONTRIBUTOR],
        False,
    ),
    (
        "contributor.health@northbridge.example",
        "Fiona Grant",
        "Named Nurse for Safeguarding",
        HOSPITALS,
        [Role.AGENCY_CONTRIBUTOR],
        False,
    ),
    (
        "contributor.school@northbridge.example",
        "Owen Price",
        "Designated Safeguarding Lead",
        EDUCATION,
        [Role.AGENCY_CONTRIBUTOR],
        False,
    ),
    (
        "lead.reviewer@northbridge.example",
        "Ruth Adeyemi",
        "Independent Lead Reviewer",
        LA,
        [Role.LEAD_REVIEWER],
        False,
    ),
    ("admin@northbridge.example", "Sam Carter", "System administrator", LA, [], True),
    # The CSPR Panel members' named deputies (panel/demo.py).
    (
        "deputy.council@northbridge.example",
        "Claire Hughes",
        "Service Manager, Safeguarding",
        LA,
        [Role.PANEL_MEMBER],
        False,
    ),
    (
        "deputy.police@northbridge.example",
        "DI Marcus Reid",
        "Detective Inspector, Public Protection",
        POLICE,
        [Role.PANEL_MEMBER],
        False,
    ),
    (
        "deputy.health@northbridge.example",
        "Dr Aisha Khan",
        "Named GP for Safeguarding",
        ICB,
        [Role.PANEL_MEMBER],
        False,
    ),
]


class Command(BaseCommand):
    help = "Create the fictional Northbridge partnership with one demo user per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. Never on a live install: the demo sign-in details "
            "are public.",
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo only runs with DEBUG on: its passwords and codes are public. "
                "Use --force if you really mean to put demo accounts on this install."
            )
        agencies = {}
        for name, kind in AGENCIES:
            agencies[name], _ = Agency.objects.get_or_create(name=name, defaults={"kind": kind})
        for email, name, title, agency, roles, staff in USERS:
            user, _ = User.objects.get_or_create(
                email=email,
                defaults={"full_name": name, "job_title": title, "agency": agencies[agency]},
            )
            user.full_name, user.job_title, user.agency = name, title, agencies[agency]
            user.is_staff = user.is_superuser = staff
            user.is_active = True
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set(Group.objects.filter(name__in=roles))
            TOTPDevice.objects.filter(user=user).exclude(key=DEMO_TOTP_KEY).delete()
            TOTPDevice.objects.get_or_create(
                user=user,
                key=DEMO_TOTP_KEY,
                defaults={"name": services.AUTHENTICATOR_NAME, "confirmed": True},
            )
            services.issue_backup_codes(user=user, codes=DEMO_BACKUP_CODES)
        self._seed_stages(agencies)
        self.stdout.write(self.style.SUCCESS(f"Demo partnership: {settings.PARTNERSHIP_NAME}"))
        self.stdout.write(f"Password for every demo user: {DEMO_PASSWORD}")
        self.stdout.write(
            f"Backup codes (each user, reset on every run): {', '.join(DEMO_BACKUP_CODES)}"
        )
        self.stdout.write(f"Authenticator key (base32): {services.demo_key_base32(DEMO_TOTP_KEY)}")
        for email, _, _, _, roles, staff in USERS:
            label = ", ".join(roles) or ("Admin" if staff else "")
            self.stdout.write(f"  {label:<22} {email}")

    def _seed_stages(self, agencies):
        """Each app with a `demo` module adds its demo data (the core cannot import the stages,
        so it finds them, in the order of INSTALLED_APPS)."""
        users = {email: User.objects.get(email=email) for email, *_ in USERS}
        for app in apps.get_app_configs():
            try:
                module = import_module(f"{app.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app.name}.demo":
                    raise
                continue
            for line in module.seed(agencies=agencies, users=users) or []:
                self.stdout.write(line)
