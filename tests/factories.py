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
