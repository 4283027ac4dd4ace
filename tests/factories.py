import factory
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import Agency, User

PASSWORD = "correct-horse-battery-staple"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@agency.example")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        if extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        """A confirmed authenticator unless totp=False."""
        if extracted is not False:
            TOTPDevice.objects.create(user=self, name="Authenticator app", confirmed=True)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case made the way the service makes them (reference, pseudonym, creator on the team)."""

    class Meta:
        model = "cases.Case"

    nature = "serious_harm"
    outline = "An outline of what happened."
    incident_date = factory.LazyFunction(lambda: __import__("datetime").date(2026, 10, 1))

    @classmethod
    def _create(cls, model_class, *args, user=None, children=1, stage=None, **kwargs):
        from safeguarding.cases import services

        user = user or UserFactory(roles=["PDEO"])
        case = services.create_case(user=user, **kwargs)
        for i in range(children):
            services.add_child(case=case, name=f"Real Name {case.sequence}-{i}", age_years=5)
        if stage:
            services.set_stage(case=case, stage=stage)
        return case
